using System.Text;
using System.Text.Json.Nodes;
using CsCheck;

namespace McpLambda.Runtime.Tests.Fuzzing;

/// <summary>
/// A blind change to an event, as a broken or hostile front door might send: a property replaced by a value of
/// another type or removed, or the event's bytes cut short or altered.
/// </summary>
/// <param name="Kind">0 replaces a property, 1 removes one, 2 cuts the bytes, 3 changes a byte.</param>
/// <param name="Position">Which property or byte, as a fraction of how many there are.</param>
/// <param name="Value">The replacing JSON value.</param>
/// <param name="Byte">The byte written where one is changed.</param>
internal sealed record EventCorruption(int Kind, double Position, JsonNode? Value, byte Byte)
{
    public static readonly Gen<EventCorruption> Generator =
        from kind in Gen.Int[0, 3]
        from position in Gen.Double[0, 1]
        from value in JsonGenerators.Value(2)
        from b in Gen.Byte
        select new EventCorruption(kind, position, value, b);

    public byte[] Apply(JsonObject @event)
    {
        if (Kind <= 1)
        {
            var properties = new List<(JsonObject Owner, string Name)>();
            Collect(@event, properties);
            var (owner, name) = properties[(int)(Position * (properties.Count - 1))];
            if (Kind == 0)
            {
                owner[name] = Value?.DeepClone();
            }
            else
            {
                owner.Remove(name);
            }

            return Encoding.UTF8.GetBytes(@event.ToJsonString());
        }

        var bytes = Encoding.UTF8.GetBytes(@event.ToJsonString());
        var at = (int)(Position * (bytes.Length - 1));
        if (Kind == 2)
        {
            return bytes[..at];
        }

        bytes[at] = Byte;
        return bytes;
    }

    private static void Collect(JsonNode? node, List<(JsonObject, string)> into)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var (name, value) in o)
                {
                    into.Add((o, name));
                    Collect(value, into);
                }

                break;
            case JsonArray a:
                foreach (var item in a)
                {
                    Collect(item, into);
                }

                break;
        }
    }

    public override string ToString() => $"kind={Kind} at={Position:F3} value={Value?.ToJsonString()} byte={Byte}";
}
