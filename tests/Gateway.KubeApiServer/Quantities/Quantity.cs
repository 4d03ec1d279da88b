using System.Globalization;
using System.Numerics;
using System.Text.RegularExpressions;

namespace Gateway.KubeApiServer.Quantities;

/// <summary>
/// A resource quantity as apimachinery's <c>resource.Quantity</c> reads and writes it: "1024Mi" is stored
/// as "1Gi", "1000m" as "1", "0.5" as "500m". The value is exact (<see cref="Mantissa"/> × 10^<see cref="Exponent"/>);
/// the format (binary, decimal or exponent notation) comes from the suffix it was written with.
/// </summary>
public sealed partial record Quantity(BigInteger Mantissa, int Exponent, QuantityFormat Format)
{
    const string Pattern = "^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$";

    [GeneratedRegex(Pattern)]
    private static partial Regex Shape();

    static readonly Dictionary<string, int> DecimalSuffixes = new(StringComparer.Ordinal)
    {
        ["n"] = -9, ["u"] = -6, ["m"] = -3, [""] = 0, ["k"] = 3, ["M"] = 6, ["G"] = 9, ["T"] = 12, ["P"] = 15, ["E"] = 18,
    };

    static readonly string[] BinarySuffixes = ["", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"];

    /// <summary>The message apimachinery gives for text that is not a quantity.</summary>
    public const string FormatError = "quantities must match the regular expression '" + Pattern + "'";

    /// <summary>Parses "1.5Gi", "100m", "1e3", "-2k"; null when the text is not a quantity.</summary>
    public static Quantity? TryParse(string text)
    {
        var match = Shape().Match(text);
        if (!match.Success)
            return null;
        var number = match.Groups[1].Value;
        var suffix = match.Groups[2].Value;

        QuantityFormat format;
        var exponent = 0;
        var binaryPower = 0;
        if (DecimalSuffixes.TryGetValue(suffix, out var decimalExponent))
            (format, exponent) = (QuantityFormat.DecimalSI, decimalExponent);
        else if (Array.IndexOf(BinarySuffixes, suffix) is > 0 and var power)
            (format, binaryPower) = (QuantityFormat.BinarySI, power * 10);
        else if (suffix.Length > 1 && suffix[0] is 'e' or 'E' && int.TryParse(suffix[1..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var written))
            (format, exponent) = (QuantityFormat.DecimalExponent, written);
        else
            return null;

        var negative = number.StartsWith('-');
        var digits = number.TrimStart('+', '-');
        var parts = digits.Split('.');
        if (parts.Length > 2)
            return null;
        var whole = parts[0];
        var fraction = parts.Length == 2 ? parts[1] : "";
        if (whole.Length + fraction.Length == 0)
            return null;
        var mantissa = BigInteger.Parse("0" + whole + fraction, CultureInfo.InvariantCulture) * BigInteger.Pow(2, binaryPower);
        if (negative)
            mantissa = -mantissa;
        return new Quantity(mantissa, exponent - fraction.Length, format).RoundUp(-9);
    }

    /// <summary>The value rounded away from zero to a multiple of 10^<paramref name="scale"/> (apimachinery keeps nanos at most; resource lists keep millis).</summary>
    public Quantity RoundUp(int scale)
    {
        if (Exponent >= scale)
            return this;
        var divisor = BigInteger.Pow(10, scale - Exponent);
        var quotient = BigInteger.DivRem(Mantissa, divisor, out var remainder);
        if (!remainder.IsZero)
            quotient += Mantissa.Sign;
        return this with { Mantissa = quotient, Exponent = scale };
    }

    /// <summary>The value as a plain fraction, for comparisons: 1Gi equals 1024Mi.</summary>
    public bool ValueEquals(Quantity other)
    {
        var scale = Math.Min(Exponent, other.Exponent);
        return Mantissa * BigInteger.Pow(10, Exponent - scale) == other.Mantissa * BigInteger.Pow(10, other.Exponent - scale);
    }

    /// <summary>The canonical text, as the API server stores it.</summary>
    public override string ToString()
    {
        if (Mantissa.IsZero)
            return "0";
        if (Format == QuantityFormat.BinarySI && TryBinary() is { } binary)
            return binary;
        return Decimal(Format == QuantityFormat.DecimalExponent);
    }

    // Binary notation is only used for whole numbers of at least 1024 in magnitude; anything else would round.
    string? TryBinary()
    {
        if (Exponent < 0)
        {
            var divisor = BigInteger.Pow(10, -Exponent);
            if (!BigInteger.Remainder(Mantissa, divisor).IsZero)
                return null;
        }
        var whole = Exponent >= 0 ? Mantissa * BigInteger.Pow(10, Exponent) : Mantissa / BigInteger.Pow(10, -Exponent);
        if (BigInteger.Abs(whole) < 1024)
            return null;
        var power = 0;
        while (power < BinarySuffixes.Length - 1 && BigInteger.Remainder(whole, 1024).IsZero)
        {
            whole /= 1024;
            power++;
        }
        return whole.ToString(CultureInfo.InvariantCulture) + BinarySuffixes[power];
    }

    // The mantissa without trailing zeros, then the exponent lowered to a multiple of three (capped at E and n).
    string Decimal(bool exponentNotation)
    {
        var mantissa = Mantissa;
        var exponent = Exponent;
        while (BigInteger.Remainder(mantissa, 10).IsZero)
        {
            mantissa /= 10;
            exponent++;
        }
        while (exponent % 3 != 0 || (!exponentNotation && exponent > 18))
        {
            mantissa *= 10;
            exponent--;
        }
        var number = mantissa.ToString(CultureInfo.InvariantCulture);
        if (exponentNotation)
            return exponent == 0 ? number : $"{number}e{exponent.ToString(CultureInfo.InvariantCulture)}";
        return number + DecimalSuffixes.First(pair => pair.Value == exponent).Key;
    }
}

/// <summary>How a quantity is written: with a binary suffix (Ki…Ei), a decimal one (n…E) or an exponent (e3).</summary>
public enum QuantityFormat
{
    DecimalSI,
    BinarySI,
    DecimalExponent,
}
