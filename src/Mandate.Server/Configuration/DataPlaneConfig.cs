using System.Net;

namespace Mandate.Server.Configuration;

/// <summary><c>dataPlane</c>: the agents' listener.</summary>
/// <param name="Listen">Address and port (port 0 picks a free port).</param>
/// <param name="Tls">TLS settings; null for plain HTTP.</param>
public sealed record DataPlaneConfig(IPEndPoint Listen, TlsConfig? Tls);
