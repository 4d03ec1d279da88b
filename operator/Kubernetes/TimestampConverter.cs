using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Gateway.Operator.Kubernetes;

/// <summary>
/// Timestamps as the API writes them: RFC 3339 in UTC with a 'Z', fractional seconds only when present
/// (so a Lease's microsecond renew time survives and a condition's whole-second time reads naturally).
/// </summary>
sealed class TimestampConverter : JsonConverter<DateTimeOffset>
{
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        DateTimeOffset.Parse(reader.GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFF'Z'", CultureInfo.InvariantCulture));
}
