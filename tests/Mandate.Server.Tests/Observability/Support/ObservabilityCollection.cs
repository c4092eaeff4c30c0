namespace Mandate.Server.Tests.Observability.Support;

/// <summary>
/// Mandate's ActivitySource and Meter are process-wide (as OpenTelemetry's are): a provider started by one test would
/// also see the measurements of gateways other tests run at the same time. The observability tests therefore run
/// alone, after the parallel ones, so what they count is their own traffic.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ObservabilityCollection
{
    /// <summary>The collection's name.</summary>
    public const string Name = "observability";
}
