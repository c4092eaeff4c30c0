namespace Mandate.Demo;

/// <summary>Settings of a <see cref="DemoSession"/>.</summary>
public sealed record DemoOptions
{
    /// <summary>The data plane's port on 127.0.0.1. Default 8080; 0 picks a free one.</summary>
    public int Port { get; init; } = 8080;

    /// <summary>Where the audit log, vault, generated config and policy files go. Default <c>./.mandate-demo</c>.</summary>
    public string DataDirectory { get; init; } = ".mandate-demo";

    /// <summary>How long the printed tokens stay valid. Default 1 hour.</summary>
    public TimeSpan TokenLifetime { get; init; } = TimeSpan.FromHours(1);
}
