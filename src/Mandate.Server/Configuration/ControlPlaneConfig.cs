using System.Net;

namespace Mandate.Server.Configuration;

/// <summary><c>controlPlane</c>: the administrators' listener.</summary>
public sealed record ControlPlaneConfig
{
    /// <summary>Creates the settings.</summary>
    public ControlPlaneConfig(IPEndPoint listen, string adminToken)
    {
        Listen = listen;
        AdminToken = adminToken;
    }

    /// <summary>Address and port.</summary>
    public IPEndPoint Listen { get; }

    /// <summary>The bearer token the admin API requires. Never printed (see <see cref="ToString"/>).</summary>
    public string AdminToken { get; }

    /// <inheritdoc />
    public override string ToString() => $"ControlPlaneConfig {{ Listen = {Listen}, AdminToken = *** }}";
}
