namespace Mandate.Core.Identity;

/// <summary>Where one issuer's or trust domain's keys come from (discovery + JWKS, a bundle URL, a bundle file).</summary>
internal interface IKeySetSource
{
    /// <summary>Fetches the current key set. Never throws for I/O or format problems: those are failures.</summary>
    Task<KeySetFetch> FetchAsync(CancellationToken cancellationToken);
}
