namespace Mandate.Server.Configuration;

/// <summary><c>policies</c>: the Cedar policy folder and schema.</summary>
/// <param name="Directory">Folder of <c>.cedar</c> files (read recursively, ordinal path order).</param>
/// <param name="SchemaFile">The <c>.cedarschema</c> file; policies are validated against it when set.</param>
/// <param name="Namespace">Namespace for short names (default <c>Mandate</c>; empty for none).</param>
public sealed record PolicyConfig(string Directory, string? SchemaFile, string Namespace)
{
    /// <summary>
    /// <c>policies.shadow</c>: a folder of candidate <c>.cedar</c> files decided beside the live set on every call, with
    /// no effect on the answer (docs/policy-lifecycle.md); null for none.
    /// </summary>
    public string? ShadowDirectory { get; init; }
}
