namespace Mandate.Server.Configuration;

/// <summary><c>upstreams.NAME.credential</c>: a vaulted secret attached after an allow.</summary>
/// <param name="VaultName">The secret's name in the vault.</param>
/// <param name="Header">The header it goes in (default <c>Authorization</c>).</param>
/// <param name="Format">The header value, <c>{secret}</c> replaced by the secret (default <c>Bearer {secret}</c>).</param>
public sealed record UpstreamCredentialConfig(string VaultName, string Header, string Format);
