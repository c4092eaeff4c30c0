namespace Mandate.Demo;

/// <summary>Settings of the <see cref="DemoIssuer"/>.</summary>
public sealed record DemoIssuerOptions
{
    /// <summary>Port on 127.0.0.1; 0 (default) picks a free one.</summary>
    public int Port { get; init; }

    /// <summary>The <c>aud</c> of every token. Default <c>mandate-demo</c>.</summary>
    public string Audience { get; init; } = "mandate-demo";
}
