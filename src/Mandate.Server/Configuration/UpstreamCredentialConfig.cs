namespace Mandate.Server.Configuration;

/// <summary><c>upstreams.NAME.credential</c>: a vaulted secret attached after an allow, or (<see cref="Mint"/>) a freshly minted downstream token.</summary>
/// <param name="VaultName">The secret's name in the vault.</param>
/// <param name="Header">The header it goes in (default <c>Authorization</c>).</param>
/// <param name="Format">The header value, <c>{secret}</c> replaced by the secret (default <c>Bearer {secret}</c>).</param>
public sealed record UpstreamCredentialConfig(string VaultName, string Header, string Format)
{
    /// <summary>When set, the credential is a downstream token minted per request (<see cref="VaultName"/> is empty).</summary>
    public MintCredentialConfig? Mint { get; init; }
}
