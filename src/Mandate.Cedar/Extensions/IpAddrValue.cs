using System.Globalization;
using System.Text;
using Mandate.Cedar.Values;

namespace Mandate.Cedar.Extensions;

/// <summary>
/// Cedar's <c>ipaddr</c>: an IPv4 or IPv6 address with a prefix length (a single address has
/// the full prefix, /32 or /128). Equality compares family, address bits and prefix; host bits
/// are kept, so <c>10.0.0.1/24</c> ≠ <c>10.0.0.0/24</c>.
/// </summary>
public sealed class IpAddrValue : ExtensionValue
{
    private IpAddrValue(bool isV4, UInt128 address, int prefix)
    {
        IsV4 = isV4;
        Address = address;
        Prefix = prefix;
    }

    /// <summary>Whether this is an IPv4 address or range.</summary>
    public bool IsV4 { get; }

    /// <summary>The address bits (IPv4 in the low 32 bits).</summary>
    public UInt128 Address { get; }

    /// <summary>The prefix length.</summary>
    public int Prefix { get; }

    private int Width => IsV4 ? 32 : 128;

    /// <inheritdoc />
    public override string TypeName => "ipaddr";

    /// <inheritdoc />
    public override string ConstructorName => "ip";

    // Shifts by the full width wrap in .NET, so /0 of IPv6 is spelled out.
    private UInt128 HostMask => Prefix >= Width ? UInt128.Zero
        : Width - Prefix == 128 ? UInt128.MaxValue
        : (UInt128.One << (Width - Prefix)) - UInt128.One;

    /// <summary>The first address of the range (host bits cleared).</summary>
    public UInt128 Network => Address & ~HostMask;

    /// <summary>The last address of the range (host bits set).</summary>
    public UInt128 Broadcast => Network | HostMask;

    /// <summary>Whether the range's network address is a loopback address (127.0.0.0/8, ::1).</summary>
    public bool IsLoopback => IsV4 ? (Network >> 24) == 127 : Network == UInt128.One;

    /// <summary>Whether the range lies within multicast space (224.0.0.0/4, ff00::/8).</summary>
    public bool IsMulticast => IsV4
        ? Prefix >= 4 && (Network >> 28) == 0xE
        : Prefix >= 8 && (Network >> 120) == 0xFF;

    /// <summary>Whether this range lies within <paramref name="range"/> (same family required).</summary>
    public bool IsInRange(IpAddrValue range) =>
        IsV4 == range.IsV4 && range.Network <= Network && Broadcast <= range.Broadcast;

    /// <summary>
    /// Parses Cedar's ip syntax: IPv4 dotted quad (no leading zeros) or IPv6 (hex groups, one
    /// <c>::</c>), optionally <c>/prefix</c>. Embedded IPv4 in IPv6 and zone ids are rejected.
    /// </summary>
    public static IpAddrValue? Parse(string text, out string? error)
    {
        error = null;
        var s = text.AsSpan();
        var slash = s.IndexOf('/');
        var addrPart = slash < 0 ? s : s[..slash];
        bool hasColon = addrPart.Contains(':'), hasDot = addrPart.Contains('.');
        UInt128 addr;
        bool v4;
        if (hasColon && hasDot)
        {
            error = $"`{text}` is not a valid IP address: IPv4-embedded IPv6 addresses are not supported";
            return null;
        }
        if (hasColon)
        {
            v4 = false;
            if (!TryParseV6(addrPart, out addr)) return Fail(text, out error);
        }
        else
        {
            v4 = true;
            if (!TryParseV4(addrPart, out var a4)) return Fail(text, out error);
            addr = a4;
        }
        var width = v4 ? 32 : 128;
        var prefix = width;
        if (slash >= 0)
        {
            var p = s[(slash + 1)..];
            if (p.Length == 0 || p.Length > 3 || (p.Length > 1 && p[0] == '0')) return Fail(text, out error);
            prefix = 0;
            foreach (var c in p)
            {
                if (c is < '0' or > '9') return Fail(text, out error);
                prefix = prefix * 10 + (c - '0');
            }
            if (prefix > width) return Fail(text, out error);
        }
        return new IpAddrValue(v4, addr, prefix);
    }

    private static IpAddrValue? Fail(string text, out string? error)
    {
        error = $"`{text}` is not a valid IP address";
        return null;
    }

    private static bool TryParseV4(ReadOnlySpan<char> s, out uint addr)
    {
        addr = 0;
        var octets = 0;
        var i = 0;
        while (true)
        {
            var start = i;
            var v = 0;
            while (i < s.Length && s[i] is >= '0' and <= '9')
            {
                v = v * 10 + (s[i] - '0');
                i++;
                if (i - start > 3) return false;
            }
            var len = i - start;
            if (len == 0 || v > 255 || (len > 1 && s[start] == '0')) return false;
            addr = (addr << 8) | (uint)v;
            octets++;
            if (octets == 4) return i == s.Length;
            if (i >= s.Length || s[i] != '.') return false;
            i++;
        }
    }

    private static bool TryParseV6(ReadOnlySpan<char> s, out UInt128 addr)
    {
        addr = UInt128.Zero;
        Span<ushort> head = stackalloc ushort[8];
        Span<ushort> tail = stackalloc ushort[8];
        int headCount = 0, tailCount = 0;
        var sawGap = false;
        var i = 0;
        if (s.StartsWith("::"))
        {
            sawGap = true;
            i = 2;
            if (i == s.Length) return true; // "::"
        }
        else if (s.Length > 0 && s[0] == ':')
        {
            return false;
        }
        while (true)
        {
            var start = i;
            var v = 0;
            while (i < s.Length && IsHex(s[i]))
            {
                v = (v << 4) | HexValue(s[i]);
                i++;
                if (i - start > 4) return false;
            }
            if (i == start) return false;
            if (sawGap) { if (tailCount == 8) return false; tail[tailCount++] = (ushort)v; }
            else { if (headCount == 8) return false; head[headCount++] = (ushort)v; }
            if (i == s.Length) break;
            if (s[i] != ':') return false;
            i++;
            if (i < s.Length && s[i] == ':')
            {
                if (sawGap) return false;
                sawGap = true;
                i++;
                if (i == s.Length) break;
            }
            else if (i == s.Length)
            {
                return false; // trailing single colon
            }
        }
        var total = headCount + tailCount;
        if (sawGap ? total > 7 : total != 8) return false;
        Span<ushort> groups = stackalloc ushort[8];
        groups.Clear();
        head[..headCount].CopyTo(groups);
        tail[..tailCount].CopyTo(groups[(8 - tailCount)..]);
        foreach (var g in groups) addr = (addr << 16) | g;
        return true;
    }

    // RFC 5952 text: lowercase hex groups, the longest run (2+) of zero groups as "::". Never
    // the dotted IPv4 tail, which Cedar's parser rejects, so printed values parse back.
    private static void AppendV6(StringBuilder sb, UInt128 address)
    {
        Span<int> groups = stackalloc int[8];
        for (var i = 7; i >= 0; i--)
        {
            groups[i] = (int)(ushort)(address & 0xFFFF);
            address >>= 16;
        }
        int bestStart = -1, bestLen = 0;
        for (var i = 0; i < 8;)
        {
            if (groups[i] != 0) { i++; continue; }
            var j = i;
            while (j < 8 && groups[j] == 0) j++;
            if (j - i > bestLen && j - i >= 2) { bestStart = i; bestLen = j - i; }
            i = j;
        }
        for (var i = 0; i < 8; i++)
        {
            if (i == bestStart)
            {
                sb.Append("::");
                i += bestLen - 1;
                continue;
            }
            if (i > 0 && i != bestStart + bestLen) sb.Append(':');
            sb.Append(groups[i].ToString("x", CultureInfo.InvariantCulture));
        }
    }

    private static bool IsHex(char c) => c is (>= '0' and <= '9') or (>= 'a' and <= 'f') or (>= 'A' and <= 'F');

    private static int HexValue(char c) => c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;

    /// <inheritdoc />
    public override bool Equals(Value? other) =>
        other is IpAddrValue ip && ip.IsV4 == IsV4 && ip.Address == Address && ip.Prefix == Prefix;

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(IsV4, Address, Prefix);

    /// <inheritdoc />
    public override string ToArgumentString()
    {
        var sb = new StringBuilder();
        if (IsV4)
        {
            var a = (uint)Address;
            sb.Append(CultureInfo.InvariantCulture, $"{a >> 24}.{(a >> 16) & 255}.{(a >> 8) & 255}.{a & 255}");
        }
        else
        {
            AppendV6(sb, Address);
        }
        return sb.Append('/').Append(Prefix.ToString(CultureInfo.InvariantCulture)).ToString();
    }
}
