using Mandate.Core.Decisions;

namespace Mandate.Server.Flow;

/// <summary>
/// What a record says a call was about: its action, resource and upstream, as far as the front got. A call refused
/// before it could be classified has none (<see cref="None"/>) or only some (an MCP message with an unknown method
/// still names its server).
/// </summary>
/// <param name="Action">The Cedar action, when known.</param>
/// <param name="Resource">The resource entity, when known.</param>
/// <param name="Upstream">The upstream it would go to, when known.</param>
public readonly record struct CallSubject(EntityRef? Action, EntityRef? Resource, string? Upstream)
{
    /// <summary>The principal asked about when it is not the caller (a decision API's subject), when known.</summary>
    public EntityRef? Principal { get; init; }

    /// <summary>What the call's decision record must survive before the call is acted on.</summary>
    public Mandate.Core.Audit.AuditDurability Durability { get; init; }

    /// <summary>Nothing known yet.</summary>
    public static CallSubject None => default;
}
