using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace GptChat.Benchmarking;

/// <summary>
/// The peers' fingerprint of generated ids (aggregate.py: <c>md5(json.dumps(ids))[:8]</c>, i.e. the MD5
/// of "[1, 2, 3]" with Python's ", " separator), so one run's output can be compared with every peer's.
/// </summary>
internal static class TokenIdsHash
{
    public static string Md5Prefix(IReadOnlyList<int> ids)
    {
        var text = new StringBuilder("[");
        for (int i = 0; i < ids.Count; i++)
        {
            if (i > 0) text.Append(", ");
            text.Append(ids[i].ToString(CultureInfo.InvariantCulture));
        }
        text.Append(']');
        byte[] hash = MD5.HashData(Encoding.UTF8.GetBytes(text.ToString()));
        return Convert.ToHexString(hash).ToLowerInvariant()[..8];
    }
}
