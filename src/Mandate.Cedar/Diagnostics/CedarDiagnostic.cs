namespace Mandate.Cedar.Diagnostics;

/// <summary>
/// One problem found in Cedar text: a stable <see cref="Code"/> (see <see cref="DiagnosticCodes"/>),
/// a short lowercase <see cref="Message"/> that names the user's input in backticks, and where it is.
/// </summary>
/// <param name="Code">Stable machine-readable code, e.g. <c>unexpected-token</c>.</param>
/// <param name="Message">Message for a person.</param>
/// <param name="File">File name the text came from, when known.</param>
/// <param name="Line">1-based line (0 when the problem has no location in text).</param>
/// <param name="Column">1-based column in UTF-16 code units (0 when unknown).</param>
/// <param name="Span">Offsets of the offending text.</param>
public sealed record CedarDiagnostic(string Code, string Message, string? File, int Line, int Column, SourceSpan Span)
{
    /// <summary>A diagnostic with no location in text (for example a linking error).</summary>
    public static CedarDiagnostic WithoutLocation(string code, string message) =>
        new(code, message, null, 0, 0, SourceSpan.None);

    /// <summary>Compiler-style form: <c>file:line:col: error[code]: message</c>.</summary>
    public override string ToString()
    {
        var file = string.IsNullOrEmpty(File) ? null : File;
        var where = Line > 0 ? $"{file ?? "<input>"}:{Line}:{Column}: " : file is null ? "" : $"{file}: ";
        return $"{where}error[{Code}]: {Message}";
    }
}
