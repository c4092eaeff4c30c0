using Mandate.Core.Decisions;
using Mandate.Server.Configuration;
using Mandate.Server.Routing;

namespace Mandate.Server.Snapshots;

/// <summary>
/// Everything a request is decided and routed with, immutable. A request reads the current snapshot
/// once and uses it throughout, so a reload in the middle of a request never mixes two versions.
/// </summary>
/// <param name="Version">Content hash of every input (config, policies, schema, entities), 16 hex digits.</param>
/// <param name="Config">The configuration the routes, upstreams and agents came from.</param>
/// <param name="Routes">The route table.</param>
/// <param name="DecisionPoint">The compiled policy set.</param>
/// <param name="LoadedAt">When it was built.</param>
public sealed record GatewaySnapshot(
    string Version,
    MandateConfig Config,
    RouteTable Routes,
    IDecisionPoint DecisionPoint,
    DateTimeOffset LoadedAt)
{
    /// <summary>The candidate set decided beside <see cref="DecisionPoint"/>, or null when there is none.</summary>
    public ShadowSet? Shadow { get; init; }
}
