using Mandate.Core.Errors;
using System.Text;

namespace Mandate.Server.Paths;

/// <summary>
/// A request path in the one form Mandate authorizes and forwards. Built from the raw request target
/// (never from a server's already-decoded path), so what is decided is exactly what the upstream sees.
/// </summary>
/// <remarks>
/// Normalized: percent-encoded unreserved characters (<c>A-Z a-z 0-9 - _ ~</c>) are decoded; every
/// other percent-encoding is kept with upper-case hex. Refused (<see cref="PathRejection"/>): anything
/// that different servers read differently — encoded <c>/</c> <c>\</c> <c>.</c> <c>%</c> (double encoding),
/// raw <c>\</c>, <c>;</c> parameters, dot segments, empty segments (<c>//</c>, trailing <c>/</c>), control
/// characters raw or encoded (C1 included), malformed <c>%</c>, invalid or overlong UTF-8, characters whose
/// compatibility normalisation (NFKC) holds <c>.</c> <c>/</c> <c>\</c> <c>%</c> or a control character (a backend
/// that normalises would see a separator or a dot segment Mandate did not: <see cref="UnicodePathCharacters"/>),
/// raw non-ASCII and characters RFC 3986 does not allow in a path, targets not in origin form, paths over 4096
/// bytes. Whether a route takes the non-ASCII characters that remain is the route's choice
/// (<see cref="IsAscii"/>, <see cref="IsNfkc"/>).
/// </remarks>
public sealed class CanonicalPath
{
    /// <summary>The longest raw path accepted.</summary>
    public const int MaxLength = 4096;

    private CanonicalPath(string value, IReadOnlyList<PathSegment> segments, string query)
    {
        Value = value;
        Segments = segments;
        Query = query;
        IsAscii = true;
        foreach (var s in segments)
        {
            foreach (var c in s.Decoded)
            {
                if (c > 0x7F)
                {
                    IsAscii = false;
                    break;
                }
            }
        }
    }

    /// <summary>True when no segment decodes to a non-ASCII character (the default route accepts only these).</summary>
    public bool IsAscii { get; }

    /// <summary>True when every decoded segment is certainly in Unicode NFKC form, so a backend that normalises sees
    /// exactly the path that was decided on (what a route with <c>nonAscii: allow</c> requires).</summary>
    public bool IsNfkc => IsAscii || Segments.All(s => UnicodePathCharacters.IsNfkc(s.Decoded));

    /// <summary>The canonical path, starting with <c>/</c>; forwarded byte for byte.</summary>
    public string Value { get; }

    /// <summary>The segments of <see cref="Value"/> (empty for <c>/</c>).</summary>
    public IReadOnlyList<PathSegment> Segments { get; }

    /// <summary>The query including its leading <c>?</c>, or empty; forwarded as received.</summary>
    public string Query { get; }

    /// <inheritdoc />
    public override string ToString() => Value + Query;

    /// <summary>Parses a raw HTTP request target (path and optional query).</summary>
    /// <returns>The canonical path, or the first reason it was refused.</returns>
    public static (CanonicalPath? Path, PathRejection? Rejection) Parse(string rawTarget)
    {
        if (rawTarget.Length == 0 || rawTarget[0] != '/')
        {
            return Reject(ErrorCatalogue.PathNotOriginForm, "the request target must be a path starting with `/`");
        }

        var queryStart = rawTarget.IndexOf('?');
        var rawPath = queryStart < 0 ? rawTarget : rawTarget[..queryStart];
        var query = queryStart < 0 ? "" : rawTarget[queryStart..];
        if (rawPath.Length > MaxLength)
        {
            return Reject(ErrorCatalogue.PathTooLong, $"the path is longer than {MaxLength} characters");
        }

        foreach (var c in query)
        {
            if (c < 0x20 || c == 0x7F)
            {
                return Reject(ErrorCatalogue.PathControlCharacter, "the query contains a control character");
            }

            if (c > 0x7E || c == '#')
            {
                return Reject(ErrorCatalogue.PathInvalidCharacter, "the query contains a character not allowed in a url");
            }
        }

        if (rawPath == "/")
        {
            return (new CanonicalPath("/", [], query), null);
        }

        var segments = new List<PathSegment>();
        var start = 1;
        while (start <= rawPath.Length)
        {
            var end = rawPath.IndexOf('/', start);
            if (end < 0)
            {
                end = rawPath.Length;
            }

            var (segment, rejection) = ParseSegment(rawPath.AsSpan(start, end - start));
            if (rejection is not null)
            {
                return (null, rejection);
            }

            segments.Add(segment!);
            start = end + 1;
        }

        var value = new StringBuilder(rawPath.Length);
        foreach (var s in segments)
        {
            value.Append('/').Append(s.Encoded);
        }

        return (new CanonicalPath(value.ToString(), segments, query), null);
    }

    private static (PathSegment? Segment, PathRejection? Rejection) ParseSegment(ReadOnlySpan<char> raw)
    {
        if (raw.Length == 0)
        {
            return (null, new PathRejection(ErrorCatalogue.PathEmptySegment, "the path has an empty segment (`//` or a trailing `/`)"));
        }

        if (raw is "." or "..")
        {
            return (null, new PathRejection(ErrorCatalogue.PathDotSegment, "the path has a `.` or `..` segment"));
        }

        var encoded = new StringBuilder(raw.Length);
        var bytes = new List<byte>(raw.Length);
        for (var i = 0; i < raw.Length; i++)
        {
            var c = raw[i];
            if (c == '%')
            {
                // Collect a run of percent-encoded bytes: a multi-byte UTF-8 character spans several.
                var run = new List<byte>();
                while (i < raw.Length && raw[i] == '%')
                {
                    if (i + 2 >= raw.Length || !IsHex(raw[i + 1]) || !IsHex(raw[i + 2]))
                    {
                        return (null, new PathRejection(ErrorCatalogue.PathBadPercent, "`%` must be followed by two hex digits"));
                    }

                    run.Add((byte)((HexValue(raw[i + 1]) << 4) | HexValue(raw[i + 2])));
                    i += 3;
                }

                i--;
                var rejection = AppendEncodedRun(run, encoded, bytes);
                if (rejection is not null)
                {
                    return (null, rejection);
                }

                continue;
            }

            var raw1 = ClassifyRaw(c);
            if (raw1 is not null)
            {
                return (null, raw1);
            }

            encoded.Append(c);
            bytes.Add((byte)c);
        }

        var decoded = StrictUtf8.GetString(bytes.ToArray());
        return (new PathSegment(encoded.ToString(), decoded), null);
    }

    private static PathRejection? AppendEncodedRun(List<byte> run, StringBuilder encoded, List<byte> bytes)
    {
        var index = 0;
        while (index < run.Count)
        {
            var b = run[index];
            if (b < 0x80)
            {
                var rejection = ClassifyDecodedAscii(b);
                if (rejection is not null)
                {
                    return rejection;
                }

                if (IsUnreserved((char)b))
                {
                    encoded.Append((char)b);
                }
                else
                {
                    AppendPercent(encoded, b);
                }

                bytes.Add(b);
                index++;
                continue;
            }

            var length = Utf8SequenceLength(run, index);
            if (length == 0)
            {
                return IsOverlongLead(run, index)
                    ? new PathRejection(ErrorCatalogue.PathOverlongUtf8, "the path has an overlong utf-8 encoding")
                    : new PathRejection(ErrorCatalogue.PathInvalidUtf8, "the path's percent-encoding is not valid utf-8");
            }

            var unicode = ClassifyDecodedUnicode(run, index, length);
            if (unicode is not null)
            {
                return unicode;
            }

            for (var k = 0; k < length; k++)
            {
                AppendPercent(encoded, run[index + k]);
                bytes.Add(run[index + k]);
            }

            index += length;
        }

        return null;
    }

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    // A decoded non-ASCII character: C1 controls and NFKC look-alikes of `. / \ %` are refused on every route.
    private static PathRejection? ClassifyDecodedUnicode(List<byte> run, int index, int length)
    {
        var codePoint = length switch
        {
            2 => ((run[index] & 0x1F) << 6) | (run[index + 1] & 0x3F),
            3 => ((run[index] & 0x0F) << 12) | ((run[index + 1] & 0x3F) << 6) | (run[index + 2] & 0x3F),
            _ => ((run[index] & 0x07) << 18) | ((run[index + 1] & 0x3F) << 12) | ((run[index + 2] & 0x3F) << 6) | (run[index + 3] & 0x3F),
        };
        return ClassifyUnicode(codePoint);
    }

    private static PathRejection? ClassifyUnicode(int codePoint) => UnicodePathCharacters.Classify(codePoint, out _) switch
    {
        UnicodePathClass.Control => new PathRejection(ErrorCatalogue.PathControlCharacter, "the path contains an encoded control character"),
        UnicodePathClass.Lookalike => new PathRejection(ErrorCatalogue.PathUnicodeLookalike,
            "the path contains a character that unicode compatibility normalisation (nfkc) turns into `.`, `/`, `\\`, `%` or a control character"),
        _ => null,
    };

    private static PathRejection? ClassifyRaw(char c)
    {
        if (c < 0x20 || c == 0x7F)
        {
            return new PathRejection(ErrorCatalogue.PathControlCharacter, "the path contains a control character");
        }

        // Kestrel refuses raw non-ASCII in a request line itself; a server that passed it on still gets the same code
        // for a look-alike as its percent-encoded form would.
        if (c > 0x7E && !char.IsSurrogate(c) && ClassifyUnicode(c) is { } unicode)
        {
            return unicode;
        }

        return c switch
        {
            '\\' => new PathRejection(ErrorCatalogue.PathBackslash, "the path contains `\\`"),
            ';' => new PathRejection(ErrorCatalogue.PathParameter, "the path contains a `;` parameter"),
            _ when c > 0x7E => new PathRejection(ErrorCatalogue.PathInvalidCharacter, "the path contains a raw non-ascii character"),
            _ when IsUnreserved(c) || IsAllowedSubDelimiter(c) || c is ':' or '@' or '.' => null,
            _ => new PathRejection(ErrorCatalogue.PathInvalidCharacter, $"the path contains `{c}`, which must be percent-encoded"),
        };
    }

    private static PathRejection? ClassifyDecodedAscii(byte b) => b switch
    {
        (byte)'/' => new PathRejection(ErrorCatalogue.PathEncodedSlash, "the path contains an encoded `/` (%2F)"),
        (byte)'\\' => new PathRejection(ErrorCatalogue.PathEncodedBackslash, "the path contains an encoded `\\` (%5C)"),
        (byte)'.' => new PathRejection(ErrorCatalogue.PathEncodedDot, "the path contains an encoded `.` (%2E)"),
        (byte)'%' => new PathRejection(ErrorCatalogue.PathDoubleEncoding, "the path contains an encoded `%` (%25)"),
        < 0x20 or 0x7F => new PathRejection(ErrorCatalogue.PathControlCharacter, "the path contains an encoded control character"),
        _ => null,
    };

    // Returns the length of a valid UTF-8 sequence starting at index, or 0 when it is invalid
    // (overlong, surrogate, above U+10FFFF, truncated, or a stray continuation byte).
    private static int Utf8SequenceLength(List<byte> run, int index)
    {
        var b0 = run[index];
        int length;
        byte min1 = 0x80, max1 = 0xBF;
        if (b0 is >= 0xC2 and <= 0xDF)
        {
            length = 2;
        }
        else if (b0 is >= 0xE0 and <= 0xEF)
        {
            length = 3;
            if (b0 == 0xE0) { min1 = 0xA0; }
            if (b0 == 0xED) { max1 = 0x9F; }
        }
        else if (b0 is >= 0xF0 and <= 0xF4)
        {
            length = 4;
            if (b0 == 0xF0) { min1 = 0x90; }
            if (b0 == 0xF4) { max1 = 0x8F; }
        }
        else
        {
            return 0;
        }

        if (index + length > run.Count)
        {
            return 0;
        }

        if (run[index + 1] < min1 || run[index + 1] > max1)
        {
            return 0;
        }

        for (var k = 2; k < length; k++)
        {
            if (run[index + k] is < 0x80 or > 0xBF)
            {
                return 0;
            }
        }

        return length;
    }

    private static bool IsOverlongLead(List<byte> run, int index)
    {
        var b0 = run[index];
        if (b0 is 0xC0 or 0xC1)
        {
            return true;
        }

        var next = index + 1 < run.Count ? run[index + 1] : (byte)0;
        return (b0 == 0xE0 && next is >= 0x80 and < 0xA0) || (b0 == 0xF0 && next is >= 0x80 and < 0x90);
    }

    private static void AppendPercent(StringBuilder sb, byte b)
    {
        const string hex = "0123456789ABCDEF";
        sb.Append('%').Append(hex[b >> 4]).Append(hex[b & 0xF]);
    }

    private static bool IsUnreserved(char c) =>
        c is (>= 'A' and <= 'Z') or (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-' or '_' or '~';

    // RFC 3986 sub-delims minus `;` (refused as a path parameter).
    private static bool IsAllowedSubDelimiter(char c) => c is '!' or '$' or '&' or '\'' or '(' or ')' or '*' or '+' or ',' or '=';

    private static bool IsHex(char c) => c is (>= '0' and <= '9') or (>= 'a' and <= 'f') or (>= 'A' and <= 'F');

    private static int HexValue(char c) => c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;

    private static (CanonicalPath?, PathRejection?) Reject(ErrorCode code, string message) => (null, new PathRejection(code, message));
}
