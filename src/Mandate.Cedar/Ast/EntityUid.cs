using System.Text;

namespace Mandate.Cedar.Ast;

/// <summary>
/// An entity's identity: its type name (with namespaces, e.g. <c>Mandate::Agent</c>) and its id.
/// </summary>
public sealed record EntityUid(string Type, string Id)
{
    /// <summary>Cedar text form: <c>Type::"id"</c>, with the id escaped as a Cedar string.</summary>
    public override string ToString() => $"{Type}::{CedarString.Quote(Id)}";
}

/// <summary>Cedar string literal quoting, shared by the printer and error messages.</summary>
public static class CedarString
{
    /// <summary>Quotes and escapes <paramref name="value"/> as a Cedar string literal.</summary>
    public static string Quote(string value)
    {
        var sb = new StringBuilder(value.Length + 2);
        sb.Append('"');
        foreach (var rune in value.EnumerateRunes())
        {
            switch (rune.Value)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                case '\0': sb.Append("\\0"); break;
                default:
                    if (rune.Value < 0x20 || rune.Value == 0x7f) sb.Append($"\\u{{{rune.Value:x}}}");
                    else sb.Append(rune.ToString());
                    break;
            }
        }
        sb.Append('"');
        return sb.ToString();
    }
}
