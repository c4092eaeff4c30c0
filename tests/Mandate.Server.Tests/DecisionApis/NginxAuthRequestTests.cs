using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Mandate.Server.Tests.Support;

namespace Mandate.Server.Tests.DecisionApis;

/// <summary>
/// A real nginx (Debian's nginx-light, started by the test; test.sh installs it when missing) with
/// <c>auth_request</c> in front of a recording upstream, asking a real gateway: allowed requests reach the upstream with
/// the agent and decision id nginx passed on (<c>auth_request_set</c>), denied ones never do, and each has its record
/// in the audit chain, named by the front <c>nginx</c>.
/// </summary>
public sealed class NginxAuthRequestTests : IAsyncLifetime
{
    private DecisionApiGateway _g = null!;
    private RecordingUpstream _upstream = null!;
    private Process? _nginx;
    private string _dir = null!;
    private Uri _front = null!;

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        var nginx = new[] { "/usr/sbin/nginx", "/usr/bin/nginx" }.FirstOrDefault(File.Exists);
        Assert.True(nginx is not null, "nginx is not installed: run ./test.sh (it installs nginx-light) or apt-get install -y nginx-light");
        _upstream = await RecordingUpstream.StartAsync();
        _g = await DecisionApiGateway.StartAsync(CheckScenario.Policies, "[]", CheckScenario.DecisionApis(), CheckScenario.Routes(_upstream.Url));
        _dir = Path.Combine(_g.Directory, "nginx");
        Directory.CreateDirectory(_dir);
        var port = FreePort();
        _front = new Uri($"http://127.0.0.1:{port}");
        await File.WriteAllTextAsync(Path.Combine(_dir, "nginx.conf"), Config(port, _g.DataPlane, _upstream.Url));
        _nginx = Process.Start(new ProcessStartInfo(nginx!, ["-p", _dir, "-c", Path.Combine(_dir, "nginx.conf")])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
        });
        await WaitUntilListeningAsync(port);
    }

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        if (_nginx is { HasExited: false })
        {
            _nginx.Kill(entireProcessTree: true);
            await _nginx.WaitForExitAsync();
        }

        _nginx?.Dispose();
        await _upstream.DisposeAsync();
        await _g.DisposeAsync();
    }

    [Fact]
    public async Task Allowed_ReachesTheUpstream_WithWhatMandateResolved_AndIsRecorded()
    {
        using var response = await SendAsync(HttpMethod.Get, "/tickets/7?x=1", _g.Issuer.Mint("reader"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var received = Assert.Single(_upstream.Received);
        Assert.Equal("/tickets/7?x=1", received.RawTarget);
        Assert.Equal("reader", received.Header("X-Mandate-Agent"));
        var decisionId = received.Header("X-Mandate-Decision-Id")!;
        var record = Assert.Single(await _g.DecisionRecordsAsync(), r => r.DecisionId == decisionId);
        Assert.Equal("allow", record.Decision);
        Assert.Equal("nginx", record.Details["front"]);
        Assert.Equal("/tickets/7", record.Details["path"]);
        Assert.Equal("GET", record.Details["method"]);
        Assert.Equal("reader", record.Agent);
    }

    [Theory]
    [InlineData("GET", "/tickets/7", null, HttpStatusCode.Unauthorized, "identity.missing")]
    [InlineData("GET", "/tickets/7", "stranger", HttpStatusCode.Forbidden, "policy.deny")]
    [InlineData("DELETE", "/tickets/7", "reader", HttpStatusCode.Forbidden, "policy.deny")]
    [InlineData("GET", "/elsewhere", "reader", HttpStatusCode.Forbidden, "route.not_found")]
    public async Task Denied_NeverReachesTheUpstream_AndIsRecorded(string method, string target, string? agent, HttpStatusCode status, string code)
    {
        using var response = await SendAsync(new HttpMethod(method), target, agent is null ? null : _g.Issuer.Mint(agent));
        Assert.Equal(status, response.StatusCode);
        Assert.Empty(_upstream.Received);
        var decisionId = response.Headers.GetValues("X-Mandate-Decision-Id").Single();
        var record = Assert.Single(await _g.DecisionRecordsAsync(), r => r.DecisionId == decisionId);
        Assert.Equal("deny", record.Decision);
        Assert.Equal(code, record.Details["code"]);
        Assert.Equal("nginx", record.Details["front"]);
        Assert.Equal(code, response.Headers.GetValues("X-Mandate-Code").Single());
    }

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string target, string? token)
    {
        using var request = new HttpRequestMessage(method, new Uri(_front, target));
        if (token is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + token);
        }

        return await _g.Http.SendAsync(request);
    }

    private string Config(int port, Uri mandate, Uri upstream) => $$"""
        daemon off;
        master_process off;
        pid {{_dir}}/nginx.pid;
        error_log {{_dir}}/error.log warn;
        events { worker_connections 64; }
        http {
          access_log off;
          client_body_temp_path {{_dir}}/body;
          proxy_temp_path {{_dir}}/proxy;
          fastcgi_temp_path {{_dir}}/fastcgi;
          uwsgi_temp_path {{_dir}}/uwsgi;
          scgi_temp_path {{_dir}}/scgi;
          server {
            listen 127.0.0.1:{{port}};
            location / {
              auth_request /_mandate;
              auth_request_set $mandate_agent $upstream_http_x_mandate_agent;
              auth_request_set $mandate_decision $upstream_http_x_mandate_decision_id;
              auth_request_set $mandate_code $upstream_http_x_mandate_code;
              add_header X-Mandate-Decision-Id $mandate_decision always;
              add_header X-Mandate-Code $mandate_code always;
              proxy_set_header X-Mandate-Agent $mandate_agent;
              proxy_set_header X-Mandate-Decision-Id $mandate_decision;
              proxy_pass {{upstream.ToString().TrimEnd('/')}};
            }
            location = /_mandate {
              internal;
              proxy_pass {{mandate.ToString().TrimEnd('/')}}/nginx/check;
              proxy_pass_request_body off;
              proxy_set_header Content-Length "";
              proxy_set_header X-Original-Method $request_method;
              proxy_set_header X-Original-URI $request_uri;
              proxy_set_header X-Forwarded-For $remote_addr;
              proxy_set_header X-Forwarded-Host $host;
            }
          }
        }
        """;

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private async Task WaitUntilListeningAsync(int port)
    {
        for (var i = 0; i < 100; i++)
        {
            Assert.False(_nginx!.HasExited, "nginx exited: " + await _nginx.StandardError.ReadToEndAsync());
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(50);
            }
        }

        Assert.Fail("nginx did not start listening");
    }
}
