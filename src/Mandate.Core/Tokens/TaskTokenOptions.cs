using Mandate.Core.Errors;
namespace Mandate.Core.Tokens;

/// <summary>Settings of the task token service. Immutable.</summary>
public sealed record TaskTokenOptions
{
    /// <summary>The <c>iss</c> of every task token (Mandate's data-plane base URL). Required.</summary>
    public required string Issuer { get; init; }

    /// <summary>Audiences of a root token that requests none. Default: the issuer alone.</summary>
    public IReadOnlyList<string>? DefaultAudiences { get; init; }

    /// <summary>Lifetime when the client asks for none. Default 5 minutes.</summary>
    public TimeSpan DefaultLifetime { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Longest lifetime of any task token; longer requests are cut to it. Default 60 minutes.</summary>
    public TimeSpan MaxLifetime { get; init; } = TimeSpan.FromMinutes(60);

    /// <summary>Deepest delegation: a root token has depth 0, its child 1, ... Default 4.</summary>
    public int MaxDepth { get; init; } = 4;

    /// <summary>How long a signing key signs before a new one replaces it. Default 24 hours.</summary>
    public TimeSpan KeyRotation { get; init; } = TimeSpan.FromHours(24);

    /// <summary>Clock skew tolerated on <c>exp</c> and <c>iat</c> in <see cref="TaskTokenService.Verify"/>. Default 5 s: Mandate
    /// verifies its own tokens, so only the clocks of several nodes can differ.</summary>
    public TimeSpan ClockSkew { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// When false (the default), a child asking to live longer than its parent gets the parent's expiry (the
    /// response's <c>expires_in</c> says so). When true, such a request fails with
    /// <see cref="ErrorCatalogue.ExchangeTtlExceedsParent"/>.
    /// </summary>
    public bool RefuseLifetimeBeyondParent { get; init; }

    /// <summary>
    /// When true, <see cref="TaskTokenService.IssueAsync"/> returns only after the token's record is durable in the store
    /// (one group commit, an fsync). When false (the default), the record is in memory, so the token verifies on this
    /// node, before the token is returned, and reaches the disk with the next group commit (milliseconds); a crash in
    /// between loses those records, and their tokens then fail closed as unknown. A failed write withdraws the token.
    /// </summary>
    public bool AwaitDurableIssue { get; init; }

    /// <summary>
    /// Most token records written behind and not yet committed; beyond it <see cref="TaskTokenService.IssueAsync"/> waits for
    /// its own commit (backpressure), so the records at risk in a crash and the writer's backlog stay bounded. Default 4096.
    /// </summary>
    public int MaxUncommittedIssues { get; init; } = 4096;

    /// <summary>Longest accepted token text in <see cref="TaskTokenService.Verify"/>. Default 16 KiB.</summary>
    public int MaxTokenLength { get; init; } = 16 * 1024;

    /// <summary>The audiences a root token gets when it requests none.</summary>
    public IReadOnlyList<string> EffectiveDefaultAudiences => DefaultAudiences is { Count: > 0 } a ? a : [Issuer];
}
