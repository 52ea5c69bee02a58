using System.Text;

namespace GptChat.Core.Tests.Modeling;

/// <summary>
/// Just enough of the protobuf wire format to edit ONNX models in tests (the test project has no ONNX
/// library): one level of a message as a list of fields; nested messages are parsed on demand.
/// </summary>
internal sealed class ProtoMessage
{
    private const int Varint = 0, Fixed64 = 1, LengthDelimited = 2, Fixed32 = 5;

    /// <summary>One field: a varint / fixed value, or the bytes of a string, bytes or nested message.</summary>
    public sealed record Field(int Number, int WireType, ulong Value, byte[] Bytes)
    {
        public string Text => Encoding.UTF8.GetString(Bytes);
        public ProtoMessage Message => Parse(Bytes);
    }

    public List<Field> Fields { get; } = [];

    public static ProtoMessage Parse(ReadOnlySpan<byte> data)
    {
        var message = new ProtoMessage();
        var position = 0;
        while (position < data.Length)
        {
            var key = ReadVarint(data, ref position);
            var number = (int)(key >> 3);
            var wireType = (int)(key & 7);
            switch (wireType)
            {
                case Varint:
                    message.Fields.Add(new Field(number, wireType, ReadVarint(data, ref position), []));
                    break;
                case Fixed64:
                    message.Fields.Add(new Field(number, wireType, BitConverter.ToUInt64(data.Slice(position, 8)), []));
                    position += 8;
                    break;
                case Fixed32:
                    message.Fields.Add(new Field(number, wireType, BitConverter.ToUInt32(data.Slice(position, 4)), []));
                    position += 4;
                    break;
                case LengthDelimited:
                    var length = (int)ReadVarint(data, ref position);
                    message.Fields.Add(new Field(number, wireType, 0, data.Slice(position, length).ToArray()));
                    position += length;
                    break;
                default:
                    throw new InvalidDataException($"unsupported protobuf wire type {wireType}");
            }
        }
        return message;
    }

    public IEnumerable<Field> All(int number) => Fields.Where(f => f.Number == number);

    public ProtoMessage Add(int number, long value)
    {
        Fields.Add(new Field(number, Varint, (ulong)value, []));
        return this;
    }

    public ProtoMessage Add(int number, string text)
    {
        Fields.Add(new Field(number, LengthDelimited, 0, Encoding.UTF8.GetBytes(text)));
        return this;
    }

    public ProtoMessage Add(int number, ProtoMessage message)
    {
        Fields.Add(new Field(number, LengthDelimited, 0, message.ToBytes()));
        return this;
    }

    public byte[] ToBytes()
    {
        using var stream = new MemoryStream();
        foreach (var field in Fields)
        {
            WriteVarint(stream, ((ulong)field.Number << 3) | (uint)field.WireType);
            switch (field.WireType)
            {
                case Varint:
                    WriteVarint(stream, field.Value);
                    break;
                case Fixed64:
                    stream.Write(BitConverter.GetBytes(field.Value));
                    break;
                case Fixed32:
                    stream.Write(BitConverter.GetBytes((uint)field.Value));
                    break;
                default:
                    WriteVarint(stream, (ulong)field.Bytes.Length);
                    stream.Write(field.Bytes);
                    break;
            }
        }
        return stream.ToArray();
    }

    private static ulong ReadVarint(ReadOnlySpan<byte> data, ref int position)
    {
        ulong value = 0;
        for (var shift = 0; ; shift += 7)
        {
            var b = data[position++];
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
                return value;
        }
    }

    private static void WriteVarint(Stream stream, ulong value)
    {
        while (value >= 0x80)
        {
            stream.WriteByte((byte)(value | 0x80));
            value >>= 7;
        }
        stream.WriteByte((byte)value);
    }
}
