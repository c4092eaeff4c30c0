namespace Mandate.Demo;

/// <summary>Settings of the <see cref="SampleApi"/>.</summary>
public sealed record SampleApiOptions
{
    /// <summary>Port on 127.0.0.1; 0 (default) picks a free one.</summary>
    public int Port { get; init; }

    /// <summary>
    /// Required. The static key the legacy endpoint (<c>/legacy/reports</c>) demands in <c>X-Api-Key</c>.
    /// In the demo only the gateway's vault holds it; agents never see it.
    /// </summary>
    public required string LegacyApiKey { get; init; }

    /// <summary>The tickets it serves; the demo shares them with the <see cref="HelpdeskMcpServer"/>. Default: a new seeded store.</summary>
    public TicketStore Tickets { get; init; } = new();
}
