using Mandate.Core.Tokens;

namespace Mandate.Server.Fronts.OAuth.Exchange;

/// <summary>What a verified <c>subject_token</c> turned out to be.</summary>
/// <param name="Kind">User token, parent task token, or none.</param>
/// <param name="UserId">The user (a user token's <c>sub</c>).</param>
/// <param name="UserScopes">The scopes the user token carries (the ceiling of a root exchange), empty when none.</param>
/// <param name="Parent">The parent task token's principal.</param>
public sealed record SubjectToken(ExchangeSubjectKind Kind, string? UserId, IReadOnlyList<string> UserScopes, TaskTokenPrincipal? Parent)
{
    /// <summary>No subject: the agent acts for itself.</summary>
    public static SubjectToken None { get; } = new(ExchangeSubjectKind.None, null, [], null);
}
