namespace Mandate.Server.Snapshots;

/// <summary>The result of a reload: the version now serving and, when refused, why.</summary>
/// <param name="Applied">True when a new snapshot was swapped in.</param>
/// <param name="Version">The version serving after the attempt.</param>
/// <param name="Problems">Why the new set was refused (empty when applied).</param>
public sealed record ReloadResult(bool Applied, string Version, IReadOnlyList<string> Problems);
