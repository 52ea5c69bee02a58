using GptChat.Chat;
using GptChat.Generation;
using GptChat.Tokenization;

namespace GptChat.Core.Tests.Chat;

public class ChatSessionTests
{
    // One token per character: lengths are easy to reason about and ids spell the text back.
    private static IReadOnlyList<int> CharEncode(string text) => text.Select(c => (int)c).ToArray();
    private static string Spell(IEnumerable<int> ids) => string.Concat(ids.Select(i => i == ChatSession.EndOfTextId ? "|" : ((char)i).ToString()));

    private static readonly GenerationOptions TenNew = new() { MaxNewTokens = 10 };

    [Fact]
    public void Plain_encodes_the_line_exactly_as_given_and_keeps_no_history()
    {
        var session = new ChatSession(CharEncode, 100, ChatFormat.Plain);
        var first = session.Prepare(" Hello there ", TenNew, false);
        Assert.Equal(" Hello there ", Spell(first.Ids));
        session.Commit(first, " Hello there ", "reply");

        var second = session.Prepare("Again", TenNew, false);
        Assert.Equal("Again", Spell(second.Ids));
        Assert.Empty(session.History);
    }

    [Fact]
    public void Transcript_keeps_user_and_bot_turns_and_ends_with_the_bot_label()
    {
        var session = new ChatSession(CharEncode, 200, ChatFormat.Transcript);
        var first = session.Prepare("hi", TenNew, false);
        Assert.Equal("User: hi\nBot:", Spell(first.Ids));
        session.Commit(first, "hi", " hello ");

        var second = session.Prepare("how are you?", TenNew, false);
        Assert.Equal("User: hi\nBot: hello\nUser: how are you?\nBot:", Spell(second.Ids));
    }

    [Fact]
    public void DialoGpt_joins_turns_with_the_end_of_text_id()
    {
        var session = new ChatSession(CharEncode, 200, ChatFormat.DialoGpt);
        var first = session.Prepare("hi", TenNew, false);
        Assert.Equal([(int)'h', (int)'i', ChatSession.EndOfTextId], first.Ids);
        session.Commit(first, "hi", "hello");

        var second = session.Prepare("bye", TenNew, false);
        Assert.Equal("hi|hello|bye|", Spell(second.Ids));
    }

    [Fact]
    public void DialoGpt_never_turns_user_text_into_the_special_id()
    {
        var tokenizer = Gpt2Tokenizer.Load();
        var session = new ChatSession(tokenizer.Encode, 1024, ChatFormat.DialoGpt);
        var prepared = session.Prepare("a <|endoftext|> b", TenNew, false);
        Assert.Equal(ChatSession.EndOfTextId, prepared.Ids[^1]);
        Assert.Single(prepared.Ids, ChatSession.EndOfTextId);
        Assert.Equal("a <|endoftext|> b<|endoftext|>", tokenizer.Decode(prepared.Ids));
    }

    [Fact]
    public void History_loses_whole_oldest_turns_so_prompt_and_reply_fit()
    {
        // Each committed turn "tN"/"rN" is "tN|rN|" = 6 tokens; a current "tN|" is 3; the reply needs 10.
        var session = new ChatSession(CharEncode, 30, ChatFormat.DialoGpt);
        var dropped = new List<int>();
        for (var i = 1; i <= 5; i++)
        {
            var p = session.Prepare($"t{i}", TenNew, false);
            Assert.True(p.Ids.Count + p.Length.MaxNewTokens <= 30);
            Assert.Empty(p.Warnings);
            dropped.Add(p.DroppedTurns);
            session.Commit(p, $"t{i}", $"r{i}");
        }
        // 30 - 10 - 3 = 17 tokens of room: two whole turns (12), never part of a third.
        Assert.Equal([0, 0, 0, 1, 1], dropped);
        Assert.Equal(["t3", "t4", "t5"], session.History.Select(t => t.User));

        var prepared = session.Prepare("q", TenNew, false);
        // "q|" is 2 tokens: 18 tokens of room now hold all three remaining turns.
        Assert.Equal("t3|r3|t4|r4|t5|r5|q|", Spell(prepared.Ids));
        Assert.Equal(0, prepared.DroppedTurns);
    }

    [Fact]
    public void Transcript_history_is_trimmed_by_turns_too()
    {
        var session = new ChatSession(CharEncode, 60, ChatFormat.Transcript);
        var p1 = session.Prepare("aaaa", TenNew, false);
        session.Commit(p1, "aaaa", "bbbb");        // "User: aaaa\nBot: bbbb\n" = 21 tokens
        var p2 = session.Prepare("cccc", TenNew, false);
        Assert.Equal("User: aaaa\nBot: bbbb\nUser: cccc\nBot:", Spell(p2.Ids));   // 21 + 16 + 10 ≤ 60
        session.Commit(p2, "cccc", "dddd");

        var p3 = session.Prepare("eeee", TenNew, false);     // 21 + 21 + 16 + 10 > 60: the oldest turn goes
        Assert.Equal("User: cccc\nBot: dddd\nUser: eeee\nBot:", Spell(p3.Ids));
        Assert.Equal(1, p3.DroppedTurns);
    }

    [Fact]
    public void A_line_longer_than_the_context_keeps_its_end_with_a_warning()
    {
        var session = new ChatSession(CharEncode, 50, ChatFormat.Plain);
        var line = new string('x', 100) + "END";
        var prepared = session.Prepare(line, TenNew, false);
        Assert.Equal(40, prepared.Ids.Count);
        Assert.EndsWith("END", Spell(prepared.Ids));
        Assert.Equal(10, prepared.Length.MaxNewTokens);
        Assert.Contains(prepared.Warnings, w => w.Contains("too long"));
    }

    [Fact]
    public void A_huge_line_is_cut_before_encoding()
    {
        var encoded = 0;
        IReadOnlyList<int> Counting(string text)
        {
            encoded = Math.Max(encoded, text.Length);
            return CharEncode(text);
        }
        var session = new ChatSession(Counting, 64, ChatFormat.Plain);
        var prepared = session.Prepare(new string('y', 10_000_000) + "!", TenNew, false);
        Assert.True(encoded <= 64 * ChatSession.MaxCharsPerToken);
        Assert.Equal(54, prepared.Ids.Count);
        Assert.Equal('!', (char)prepared.Ids[^1]);
        Assert.NotEmpty(prepared.Warnings);
    }

    [Fact]
    public void A_reply_budget_larger_than_the_context_shrinks_and_says_so()
    {
        var session = new ChatSession(CharEncode, 100, ChatFormat.Plain);
        var prepared = session.Prepare(new string('z', 80), new GenerationOptions { MaxNewTokens = 500 }, false);
        Assert.Equal(50, prepared.Ids.Count);                 // half the context for the prompt
        Assert.Equal(50, prepared.Length.MaxNewTokens);
        Assert.True(prepared.Ids.Count + prepared.Length.MaxNewTokens <= 100);
        Assert.NotEmpty(prepared.Warnings);
    }

    [Fact]
    public void DialoGpt_truncation_keeps_the_turn_separator_at_the_end()
    {
        var session = new ChatSession(CharEncode, 20, ChatFormat.DialoGpt);
        var prepared = session.Prepare(new string('w', 30), TenNew, false);
        Assert.Equal(10, prepared.Ids.Count);
        Assert.Equal(ChatSession.EndOfTextId, prepared.Ids[^1]);
    }

    [Fact]
    public void Max_length_counts_only_the_users_line_in_chat_formats()
    {
        var session = new ChatSession(CharEncode, 500, ChatFormat.Transcript);
        var prepared = session.Prepare("abcde", new GenerationOptions { MaxLength = 30 }, maxLengthExplicit: true);
        Assert.Equal(5, prepared.LineTokens);
        Assert.Equal(25, prepared.Length.MaxNewTokens);
    }

    [Fact]
    public void Reset_forgets_the_history()
    {
        var session = new ChatSession(CharEncode, 100, ChatFormat.Transcript);
        var p = session.Prepare("a", TenNew, false);
        session.Commit(p, "a", "b");
        session.Reset();
        Assert.Equal("User: a\nBot:", Spell(session.Prepare("a", TenNew, false).Ids));
    }

    [Fact]
    public void Changing_the_format_re_encodes_the_history()
    {
        var session = new ChatSession(CharEncode, 200, ChatFormat.Transcript);
        var p = session.Prepare("a", TenNew, false);
        session.Commit(p, "a", "b");
        session.Format = ChatFormat.DialoGpt;
        Assert.Equal("a|b|c|", Spell(session.Prepare("c", TenNew, false).Ids));
    }

    [Theory]
    [InlineData(" Hello", -1)]
    [InlineData(" Hello\nUser: more", 6)]
    [InlineData("\n\n Hi there\n", 11)]     // leading blank lines do not end an empty turn
    [InlineData(" Sure. User: next", 7)]
    public void Transcript_turns_end_at_the_end_of_the_bots_line(string generated, int end)
    {
        var session = new ChatSession(CharEncode, 100, ChatFormat.Transcript);
        Assert.Equal(end, session.FindTurnEnd(generated));
    }

    [Fact]
    public void Other_formats_never_end_a_turn_by_text()
    {
        Assert.Equal(-1, new ChatSession(CharEncode, 100, ChatFormat.Plain).FindTurnEnd("a\nb"));
        Assert.Equal(-1, new ChatSession(CharEncode, 100, ChatFormat.DialoGpt).FindTurnEnd("a\nb"));
    }
}
