using System.Text.Json;
using System.Text.Json.Serialization;

namespace Gateway.Operator.Kubernetes.Objects;

/// <summary>A field the API accepts as a number or a string such as "25%" or a port name.</summary>
[JsonConverter(typeof(IntOrStringConverter))]
public sealed record IntOrString(int? Number, string? Text)
{
    public static implicit operator IntOrString(int value) => new(value, null);
    public static implicit operator IntOrString(string value) => new(null, value);
    public override string ToString() => Number?.ToString() ?? Text ?? "";
}

sealed class IntOrStringConverter : JsonConverter<IntOrString>
{
    public override IntOrString Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.Number ? new(reader.GetInt32(), null) : new(null, reader.GetString());

    public override void Write(Utf8JsonWriter writer, IntOrString value, JsonSerializerOptions options)
    {
        if (value.Number is { } number)
            writer.WriteNumberValue(number);
        else
            writer.WriteStringValue(value.Text);
    }
}
