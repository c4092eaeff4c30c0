namespace Mandate.Core.Errors;

/// <summary>Request targets that cannot be made canonical without ambiguity: refused with 400 before anything else.</summary>
public static partial class ErrorCatalogue
{
    /// <summary>The target is not in origin form (<c>/path?query</c>).</summary>
    public static readonly ErrorCode PathNotOriginForm = Path("not_origin_form");
    /// <summary>The target is longer than 4096 characters.</summary>
    public static readonly ErrorCode PathTooLong = Path("too_long");
    /// <summary>An encoded <c>/</c> (%2F).</summary>
    public static readonly ErrorCode PathEncodedSlash = Path("encoded_slash");
    /// <summary>An encoded <c>\</c> (%5C).</summary>
    public static readonly ErrorCode PathEncodedBackslash = Path("encoded_backslash");
    /// <summary>A raw <c>\</c>.</summary>
    public static readonly ErrorCode PathBackslash = Path("backslash");
    /// <summary>An encoded <c>.</c> (%2E).</summary>
    public static readonly ErrorCode PathEncodedDot = Path("encoded_dot");
    /// <summary>An encoded <c>%</c> (%25).</summary>
    public static readonly ErrorCode PathDoubleEncoding = Path("double_encoding");
    /// <summary>A <c>.</c> or <c>..</c> segment.</summary>
    public static readonly ErrorCode PathDotSegment = Path("dot_segment");
    /// <summary>An empty segment (<c>//</c> or a trailing <c>/</c>).</summary>
    public static readonly ErrorCode PathEmptySegment = Path("empty_segment");
    /// <summary>A <c>;</c> parameter.</summary>
    public static readonly ErrorCode PathParameter = Path("parameter");
    /// <summary>A control character, raw or encoded, in the path or the query.</summary>
    public static readonly ErrorCode PathControlCharacter = Path("control_character");
    /// <summary>A <c>%</c> not followed by two hex digits.</summary>
    public static readonly ErrorCode PathBadPercent = Path("bad_percent");
    /// <summary>Percent-encoding that is not valid UTF-8.</summary>
    public static readonly ErrorCode PathInvalidUtf8 = Path("invalid_utf8");
    /// <summary>An overlong UTF-8 encoding.</summary>
    public static readonly ErrorCode PathOverlongUtf8 = Path("overlong_utf8");
    /// <summary>A character RFC 3986 does not allow there (raw non-ASCII, <c>#</c> in the query, …).</summary>
    public static readonly ErrorCode PathInvalidCharacter = Path("invalid_character");
    /// <summary>A character whose Unicode compatibility normalisation (NFKC) holds <c>.</c>, <c>/</c>, <c>\</c>, <c>%</c> or a control character (fullwidth forms, dot leaders, …), raw or encoded.</summary>
    public static readonly ErrorCode PathUnicodeLookalike = Path("unicode_lookalike");
    /// <summary>Percent-encoded non-ASCII characters on a route that does not allow them (<c>routes[].nonAscii</c>).</summary>
    public static readonly ErrorCode PathNonAscii = Path("non_ascii");
    /// <summary>Non-ASCII characters not in Unicode NFKC form, on a route that allows non-ASCII.</summary>
    public static readonly ErrorCode PathNotNormalized = Path("not_normalized");

    private static ErrorCode Path(string rule) => new("path." + rule, 400, BadPath);
}
