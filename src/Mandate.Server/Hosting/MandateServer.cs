using System.Diagnostics;
using System.Security.Cryptography.X509Certificates;
using Mandate.Server.Configuration;
using Mandate.Server.Flow;
using Mandate.Server.Flow.Decide;
using Mandate.Server.Flow.Identify;
using Mandate.Server.Flow.Record;
using Mandate.Server.Flow.Approve;
using Mandate.Server.Forwarding;
using Mandate.Server.Fronts.AuthZen;
using Mandate.Server.Fronts.Checks;
using Mandate.Server.Fronts.Http;
using Mandate.Server.Fronts.Mcp;
using Mandate.Server.Fronts.OAuth;
using Mandate.Server.Planes;
using Mandate.Server.Snapshots;
using Mandate.Server.Telemetry;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Mandate.Core.Decisions;

namespace Mandate.Server.Hosting;

/// <summary>
/// The running gateway: a data plane (agents → pipeline → upstreams) and a control plane (admin API)
/// as two Kestrel hosts on separate addresses, sharing one snapshot holder, audit log and authenticator.
/// </summary>
public sealed class MandateServer : IAsyncDisposable
{
    private readonly WebApplication _data;
    private readonly WebApplication _control;
    private readonly SnapshotReloader _reloader;
    private readonly ILoggerFactory _loggerFactory;
    private readonly FlowParts _flow;
    private readonly TelemetryProviders _telemetry;

    private MandateServer(WebApplication data, WebApplication control, SnapshotHolder snapshots, SnapshotReloader reloader, ILoggerFactory loggerFactory, FlowParts flow, TelemetryProviders telemetry)
    {
        _flow = flow;
        _telemetry = telemetry;
        _data = data;
        _control = control;
        Snapshots = snapshots;
        _reloader = reloader;
        _loggerFactory = loggerFactory;
    }

    /// <summary>The data plane's base address (with the bound port).</summary>
    public Uri DataPlaneAddress => Address(_data);

    /// <summary>The control plane's base address (with the bound port).</summary>
    public Uri ControlPlaneAddress => Address(_control);

    /// <summary>The active snapshot's holder.</summary>
    public SnapshotHolder Snapshots { get; }

    /// <summary>Rebuilds the snapshot now (as <c>POST /v1/reload</c> does).</summary>
    public Task<ReloadResult> ReloadAsync(CancellationToken cancellationToken) => _reloader.ReloadAsync("api", cancellationToken);

    /// <summary>Builds the first snapshot and starts both planes. Problems (bad policies, unbindable address) are returned, not thrown.</summary>
    public static async Task<StartResult> StartAsync(MandateConfig config, GatewayServices services, MandateServerOptions options, CancellationToken cancellationToken)
    {
        var builder = new SnapshotBuilder(services.Compiler, services.Time);
        var first = builder.Build(config);
        if (first.Snapshot is null)
        {
            return new StartResult(null, first.Problems);
        }

        var holder = new SnapshotHolder(first.Snapshot);
        var loggerFactory = LoggerFactory.Create(b => options.Logging?.Invoke(b));
        var reloader = new SnapshotReloader(holder, builder, services.Recorder, services.Secrets, services.Time, loggerFactory.CreateLogger<SnapshotReloader>(), options.ReloadDebounce);
        var readiness = new Readiness(holder, services.Recorder, services.Authenticator);
        var toolPins = new McpToolPins(services.ToolPins ?? new InMemoryToolPinStore(), new McpToolRegistry(), services.Time, loggerFactory.CreateLogger<McpToolPins>());
        FlowParts flow;
        try
        {
            flow = await FlowParts.OpenAsync(services, loggerFactory, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            await reloader.DisposeAsync();
            loggerFactory.Dispose();
            return new StartResult(null, [$"session or approval store: {e.Message}"]);
        }

        WebApplication? data = null, control = null;
        // Observability is read once, here: its providers outlive reloads (a changed section applies on the next start).
        var telemetry = TelemetryProviders.Start(config.Observability, flow.Approvals, Mandate.Core.Audit.AuditDurabilityNames.Name(config.Audit.Durability));
        try
        {
            // Vaulted credentials are in memory before the first request can ask for one.
            await services.Secrets.LoadAsync(first.Snapshot.Config, cancellationToken);
            await services.Recorder.RecordPolicyChangeAsync(
                new PolicyChangeRecord(services.Time.GetUtcNow(), "policy_loaded", first.Snapshot.Version, first.Snapshot.DecisionPoint.PolicyIds, []), cancellationToken);

            data = BuildDataPlane(config, services, options, holder, readiness, toolPins, flow, loggerFactory);
            control = BuildControlPlane(config, options, telemetry, new AdminApi(config.ControlPlane.AdminToken, holder, reloader, readiness, services.Tokens)
            {
                Mcp = new McpAdminApi(holder, toolPins),
                Approvals = new ApprovalsAdminApi(flow.Approvals, holder),
                Shadow = new ShadowAdminApi(holder, reloader, flow.Shadow, services.Recorder, services.Time),
            });
            await data.StartAsync(cancellationToken);
            await control.StartAsync(cancellationToken);
            // Each HTTP MCP server's era and tool argument types are learned before the first call, not on it.
            await data.Services.GetRequiredService<McpUpstreamProbe>().WarmAsync(config.Mcp.Servers.Values, cancellationToken);
            McpArgumentTypesAtStart(first.Snapshot, toolPins.Registry, loggerFactory.CreateLogger("Mandate.Mcp"));
            flow.Approvals.ControlPlane = Address(control);
        }
        catch (Exception e) when (e is IOException or InvalidOperationException or System.Net.Sockets.SocketException or OperationCanceledException)
        {
            // Nothing half-started survives: a plane that began listening is stopped and released.
            await DisposeQuietlyAsync(data);
            await DisposeQuietlyAsync(control);
            await reloader.DisposeAsync();
            await flow.DisposeAsync();
            telemetry.Dispose();
            loggerFactory.Dispose();
            if (e is OperationCanceledException)
            {
                throw;
            }

            return new StartResult(null, [$"cannot listen: {e.Message}"]);
        }

        if (options.WatchFiles)
        {
            reloader.Watch();
        }

        return new StartResult(new MandateServer(data, control, holder, reloader, loggerFactory, flow, telemetry), []);
    }

    private static async Task DisposeQuietlyAsync(WebApplication? app)
    {
        if (app is not null)
        {
            await app.DisposeAsync();
        }
    }

    private static WebApplication BuildDataPlane(MandateConfig config, GatewayServices services, MandateServerOptions options, SnapshotHolder holder, Readiness readiness, McpToolPins toolPins, FlowParts parts, ILoggerFactory loggerFactory)
    {
        var builder = NewBuilder(options);
        var presentedChains = new PresentedCertificateChains();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
            k.Listen(config.DataPlane.Listen, listen =>
            {
                if (config.DataPlane.Tls is { } tls)
                {
                    var certificate = LoadCertificate(tls);
                    listen.UseHttps(https =>
                    {
                        https.ServerCertificate = certificate;
                        https.ClientCertificateMode = tls.ClientCertificates switch
                        {
                            ClientCertificatePolicy.Require => ClientCertificateMode.RequireCertificate,
                            ClientCertificatePolicy.Allow => ClientCertificateMode.AllowCertificate,
                            _ => ClientCertificateMode.NoCertificate,
                        };

                        // The chain is checked by the identify step against the SPIFFE trust bundle,
                        // not against the machine's CA store; here the intermediates the client sent are
                        // kept for it (they are not reachable from the connection later).
                        https.ClientCertificateValidation = (leaf, chain, _) =>
                        {
                            presentedChains.Remember(leaf, chain);
                            return true;
                        };
                    });
                }
            });
        });

        var s = builder.Services;
        s.AddHttpForwarder();
        s.AddSingleton(holder);
        s.AddSingleton(readiness);
        s.AddSingleton(services.Authenticator);
        s.AddSingleton(services.Recorder);
        s.AddSingleton(services.Secrets);
        s.AddSingleton(services.Time);
        s.AddSingleton(presentedChains);
        s.AddSingleton<UpstreamClient>();

        // The one decision flow every front uses: resolve the caller, decide, record.
        var gate = services.Tokens is { } tokens ? new TaskTokenGate(tokens, services.Authenticator) : null;
        var resolver = new CallerResolver(services.Authenticator, presentedChains, gate);
        var flow = new DecisionFlow(
            new Decider(loggerFactory.CreateLogger<Decider>(), parts.Sessions, parts.Approvals, parts.Shadow),
            parts.Journal,
            parts.Sessions,
            parts.Approvals);
        var approvalStatus = new ApprovalStatusEndpoint(parts.Approvals, resolver);
        s.AddSingleton(resolver);
        s.AddSingleton(flow);
        McpServices.Add(s, toolPins);
        TokenFronts? fronts = null;
        if (services.Tokens is { } t)
        {
            s.AddSingleton(t);
            fronts = new TokenFronts(t, resolver, flow, holder, loggerFactory.CreateLogger<TokenFronts>());
        }

        // The decision APIs: fronts of their own, answered before the route table when configured (each checks the
        // current snapshot, so a reload turns them on or off).
        var authzen = new AuthZenFront(resolver, flow, holder, loggerFactory.CreateLogger<AuthZenFront>());
        var checks = new CheckFront(resolver, flow, holder, loggerFactory.CreateLogger<CheckFront>());

        var app = builder.Build();

        // Requests Kestrel refuses itself (malformed request line, duplicate Host, oversized headers, …) never reach a
        // middleware; its diagnostic event hands them to the flow's journal, so they are recorded like any refusal.
        var kestrelRefusals = new KestrelRefusals(flow, holder, services.Time, loggerFactory.CreateLogger<KestrelRefusals>())
            .Subscribe(app.Services.GetRequiredService<DiagnosticListener>());
        app.Lifetime.ApplicationStopped.Register(kestrelRefusals.Dispose);

        app.Use((context, next) => AnsweredOrNext(readiness.TryAnswerAsync(context), context, next));
        if (config.Observability.IsOn)
        {
            // Every request but the probes gets its root span and end-to-end timing; without observability, no step at all.
            app.UseMiddleware<TraceEntryMiddleware>(config.Observability);
        }

        app.Use((context, next) => AnsweredOrNext(approvalStatus.TryHandleAsync(context), context, next));
        app.Use((context, next) => AnsweredOrNext(authzen.TryHandleAsync(context), context, next));
        app.Use((context, next) => AnsweredOrNext(checks.TryHandleAsync(context), context, next));
        if (fronts is not null)
        {
            // Token fronts answer before the gateway pipeline, like /healthz: they are Mandate's own endpoints.
            app.Use((context, next) => AnsweredOrNext(fronts.TryHandleAsync(context), context, next));
        }
        // The HTTP front: each step translates, the flow decides and records (see docs/architecture.md).
        app.UseMiddleware<HttpEntryMiddleware>();
        app.UseMiddleware<CanonicalizeMiddleware>();
        app.UseMiddleware<McpDispatchMiddleware>();
        app.UseMiddleware<IdentifyMiddleware>();
        app.UseMiddleware<ClassifyMiddleware>();
        app.UseMiddleware<JsonArgsMiddleware>();
        app.UseMiddleware<DecideMiddleware>();
        app.UseMiddleware<ForwardMiddleware>();
        return app;
    }

    /// <summary>Runs <paramref name="next"/> unless <paramref name="answered"/> says the request was answered. A check
    /// that completes at once (every request that is not a probe or a token endpoint) costs no state machine.</summary>
    private static Task AnsweredOrNext(Task<bool> answered, HttpContext context, RequestDelegate next)
    {
        if (answered.IsCompletedSuccessfully)
        {
            return answered.Result ? Task.CompletedTask : next(context);
        }

        return AwaitAsync(answered, context, next);

        static async Task AwaitAsync(Task<bool> answered, HttpContext context, RequestDelegate next)
        {
            if (!await answered)
            {
                await next(context);
            }
        }
    }

    private static WebApplication BuildControlPlane(MandateConfig config, MandateServerOptions options, TelemetryProviders telemetry, AdminApi admin)
    {
        var builder = NewBuilder(options);
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
            k.Listen(config.ControlPlane.Listen);
        });
        var app = builder.Build();
        if (telemetry.Metrics is { } metrics)
        {
            // GET /metrics (Prometheus text format, OpenTelemetry's exporter) behind its own scrape token when one is set.
            var gate = new MetricsEndpoint(config.Observability.ScrapeToken);
            app.Use(gate.InvokeAsync);
            if (config.Observability.Prometheus)
            {
                app.UseOpenTelemetryPrometheusScrapingEndpoint(metrics, MetricsEndpoint.IsScrape, null, null, null);
            }
        }

        app.Run(admin.HandleAsync);
        return app;
    }

    private static WebApplicationBuilder NewBuilder(MandateServerOptions options)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory, Args = [] });
        builder.WebHost.UseKestrelHttpsConfiguration();
        builder.Logging.ClearProviders();
        options.Logging?.Invoke(builder.Logging);
        return builder;
    }

    private static X509Certificate2 LoadCertificate(TlsConfig tls) =>
        tls.KeyPath is null
            ? X509CertificateLoader.LoadPkcs12FromFile(tls.CertificatePath, null)
            : X509Certificate2.CreateFromPemFile(tls.CertificatePath, tls.KeyPath);

    private static Uri Address(WebApplication app)
    {
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        return new Uri(addresses.First().Replace("0.0.0.0", "127.0.0.1", StringComparison.Ordinal));
    }

    /// <summary>Completes when either plane stops (e.g. on Ctrl+C or SIGTERM with <see cref="StopAsync"/>).</summary>
    public Task WaitForShutdownAsync(CancellationToken cancellationToken) => _data.WaitForShutdownAsync(cancellationToken);

    /// <summary>Stops both planes.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _data.StopAsync(cancellationToken);
        await _control.StopAsync(cancellationToken);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _reloader.DisposeAsync();
        await _data.DisposeAsync();
        await _control.DisposeAsync();
        await _flow.DisposeAsync();
        _telemetry.Dispose();
        _loggerFactory.Dispose();
    }

    // Policies on context.args that the tools' argument types contradict (an argument no tool has, a string compared
    // as a number) are reported as soon as the types are known; `mandate mcp schema` shows them at any time.
    private static void McpArgumentTypesAtStart(GatewaySnapshot snapshot, McpToolRegistry registry, ILogger logger)
    {
        if (snapshot.DecisionPoint is not Mandate.Core.Decisions.CedarDecisionPoint point)
        {
            return;
        }

        foreach (var server in snapshot.Config.Mcp.Servers.Keys)
        {
            foreach (var problem in Mandate.Core.Mcp.ToolArguments.McpArgumentPolicyCheck.Check(point.Policies, server, registry.ArgumentsOf(server)))
            {
                McpLog.ArgumentPolicyProblem(logger, server, problem.PolicyId, problem.Message);
            }
        }
    }
}
