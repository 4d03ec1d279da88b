using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Gateway.Proxy.Networking;

/// <summary>
/// IP addresses and CIDR blocks as people write them in settings and plugin configs: "10.0.0.7", "10.0.0.0/8",
/// "2001:db8::/32". Only the usual notations are accepted (no "10.1", no octal, no zone ids), so a typo is an
/// error rather than some other network.
/// </summary>
public static class IpNetworks
{
    /// <summary>
    /// An address (a network of one) or a CIDR block. Bits after the prefix are ignored ("10.1.2.3/8" is 10.0.0.0/8),
    /// and an IPv4-mapped IPv6 block becomes the IPv4 block it maps, since client addresses are compared as IPv4.
    /// </summary>
    public static bool TryParse(string text, out IPNetwork network)
    {
        network = default;
        var slash = text.IndexOf('/');
        var addressText = slash < 0 ? text.AsSpan() : text.AsSpan(0, slash);
        if (!TryParseAddress(addressText, out var address)) return false;

        var bits = address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128;
        var prefix = bits;
        if (slash >= 0)
        {
            var prefixText = text.AsSpan(slash + 1);
            if (prefixText.Length is 0 or > 3 || !int.TryParse(prefixText, NumberStyles.None, CultureInfo.InvariantCulture, out prefix)
                || prefix > bits)
                return false;
        }
        if (address.IsIPv4MappedToIPv6 && prefix >= 96)
        {
            address = address.MapToIPv4();
            prefix -= 96;
        }
        network = new IPNetwork(Masked(address, prefix), prefix);
        return true;
    }

    /// <summary>Whether any of <paramref name="networks"/> holds <paramref name="address"/>.</summary>
    public static bool AnyContains(IReadOnlyList<IPNetwork> networks, IPAddress address)
    {
        for (var i = 0; i < networks.Count; i++)
            if (networks[i].Contains(address)) return true;
        return false;
    }

    /// <summary>One address in the usual notation: a dotted quad, or IPv6 without a zone id.</summary>
    public static bool TryParseAddress(ReadOnlySpan<char> text, out IPAddress address)
    {
        address = IPAddress.None;
        if (text.Contains(':')) return !text.Contains('%') && IPAddress.TryParse(text, out address!);
        return IsDottedQuad(text) && IPAddress.TryParse(text, out address!);
    }

    /// <summary>Four decimal numbers from 0 to 255, without leading zeros.</summary>
    private static bool IsDottedQuad(ReadOnlySpan<char> text)
    {
        var parts = 0;
        foreach (var range in text.Split('.'))
        {
            var part = text[range];
            if (++parts > 4 || part.Length is 0 or > 3 || (part.Length > 1 && part[0] == '0')) return false;
            foreach (var c in part)
                if (c is < '0' or > '9') return false;
            if (int.Parse(part, CultureInfo.InvariantCulture) > 255) return false;
        }
        return parts == 4;
    }

    private static IPAddress Masked(IPAddress address, int prefix)
    {
        var bytes = address.GetAddressBytes();
        for (var i = 0; i < bytes.Length; i++)
        {
            var keep = Math.Clamp(prefix - i * 8, 0, 8);
            bytes[i] &= (byte)(0xFF << (8 - keep));
        }
        return new IPAddress(bytes);
    }
}
