using System.Text.Json;

namespace Mandate.Server.Fronts.AuthZen;

/// <summary>An AuthZEN subject or resource as read: its type, its id (absent in the searched position), its properties.</summary>
/// <param name="Type">The AuthZEN type.</param>
/// <param name="Id">The id; null when the request omits it (a search's open position).</param>
/// <param name="Properties">The <c>properties</c> object, when present.</param>
public sealed record AuthZenEntity(string Type, string? Id, JsonElement? Properties);

/// <summary>An AuthZEN action as read.</summary>
/// <param name="Name">The action's name.</param>
/// <param name="Properties">The <c>properties</c> object, when present.</param>
public sealed record AuthZenAction(string Name, JsonElement? Properties);

/// <summary>
/// One evaluation (or the defaults of a batch, or a search) as read: each part may be absent where the request allows
/// it; the reader checks what is present, the endpoint what is required.
/// </summary>
/// <param name="Subject">The subject.</param>
/// <param name="Action">The action.</param>
/// <param name="Resource">The resource.</param>
/// <param name="Context">The <c>context</c> object.</param>
public sealed record AuthZenTuple(AuthZenEntity? Subject, AuthZenAction? Action, AuthZenEntity? Resource, JsonElement? Context)
{
    /// <summary>This tuple with each absent part taken from <paramref name="defaults"/> (AuthZEN §7.1.1).</summary>
    public AuthZenTuple Over(AuthZenTuple defaults) =>
        new(Subject ?? defaults.Subject, Action ?? defaults.Action, Resource ?? defaults.Resource, Context ?? defaults.Context);
}

/// <summary>A search's <c>page</c> as read.</summary>
/// <param name="Token">The <c>next_token</c> of the previous page; null or empty for the first.</param>
/// <param name="Limit">The page size asked for; null for the default.</param>
public sealed record AuthZenPage(string? Token, int? Limit);
