using System.Net;

namespace Mandate.Server.Configuration;

// `dataPlane`, `controlPlane` and `trustedProxies`: where the two planes listen, TLS, the admin token,
// and which peers may tell the data plane a client's address.
public sealed partial class MandateConfigValidator
{
    private TlsConfig? Tls(TlsDocument? tls)
    {
        if (tls is null)
        {
            return null;
        }

        var certificate = tls.Certificate is null
            ? Missing<string>("dataPlane.tls.certificate", "")
            : ExistingFile(tls.Certificate, "dataPlane.tls.certificate");
        var key = tls.Key is null ? null : ExistingFile(tls.Key, "dataPlane.tls.key");
        var mode = (tls.ClientCertificates ?? "none") switch
        {
            "none" => ClientCertificatePolicy.None,
            "allow" => ClientCertificatePolicy.Allow,
            "require" => ClientCertificatePolicy.Require,
            var other => Invalid("dataPlane.tls.clientCertificates", $"`{other}` is not one of none, allow, require", ClientCertificatePolicy.None),
        };
        return new TlsConfig(certificate, key, mode);
    }

    private ControlPlaneConfig ControlPlane(ControlPlaneDocument? c)
    {
        var listen = Endpoint(c?.Listen, "controlPlane.listen", "127.0.0.1:8081");
        string token = "";
        if (c?.AdminToken is not null && c.AdminTokenFile is not null)
        {
            Problem("controlPlane.adminTokenFile", "give adminToken or adminTokenFile, not both");
        }
        else if (c?.AdminTokenFile is { } file)
        {
            var path = ExistingFile(file, "controlPlane.adminTokenFile");
            if (File.Exists(path))
            {
                token = File.ReadAllText(path).Trim();
            }
        }
        else if (c?.AdminToken is { } inline)
        {
            token = inline;
        }
        else
        {
            Problem("controlPlane", "adminToken or adminTokenFile is required");
            return new ControlPlaneConfig(listen, token);
        }

        if (token.Length < 16 && _problems.All(p => !p.Path.StartsWith("controlPlane.admin", StringComparison.Ordinal)))
        {
            Problem(c.AdminTokenFile is null ? "controlPlane.adminToken" : "controlPlane.adminTokenFile", "the admin token must be at least 16 characters");
        }

        return new ControlPlaneConfig(listen, token);
    }

    private List<IPNetwork> TrustedProxies(List<string?>? proxies) => Networks(proxies, "trustedProxies");

    // Addresses and CIDR ranges of peers a setting trusts (`trustedProxies`, `observability.traces.acceptParentFrom`).
    private List<IPNetwork> Networks(List<string?>? networks, string path)
    {
        var result = new List<IPNetwork>();
        for (var i = 0; i < (networks?.Count ?? 0); i++)
        {
            var text = networks![i] ?? "";
            if (IPNetwork.TryParse(text, out var network))
            {
                result.Add(network);
            }
            else if (IPAddress.TryParse(text, out var address))
            {
                result.Add(new IPNetwork(address, address.GetAddressBytes().Length * 8));
            }
            else
            {
                Problem($"{path}[{i}]", $"`{text}` is not an ip address or cidr range");
            }
        }

        return result;
    }

    private IPEndPoint Endpoint(string? text, string path, string fallback)
    {
        text ??= fallback;
        if (text.StartsWith("localhost:", StringComparison.OrdinalIgnoreCase))
        {
            text = "127.0.0.1:" + text["localhost:".Length..];
        }

        if (IPEndPoint.TryParse(text, out var endpoint) && text.Contains(':') && (text.LastIndexOf(':') > text.LastIndexOf(']')))
        {
            return endpoint;
        }

        Problem(path, $"`{text}` is not `address:port` (e.g. 127.0.0.1:8080)");
        return new IPEndPoint(IPAddress.Loopback, 0);
    }
}
