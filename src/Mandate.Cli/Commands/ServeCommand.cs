using System.CommandLine;
using Mandate.Core.Audit;
using Mandate.Core.Decisions;
using Mandate.Server.Configuration;
using Mandate.Server.Snapshots;
using Mandate.Server.Hosting;
using Microsoft.Extensions.Logging;

namespace Mandate.Cli.Commands;

/// <summary><c>mandate serve --config mandate.yaml</c>: validates the configuration and runs both planes until stopped.</summary>
internal static class ServeCommand
{
    /// <summary>How long in-flight requests may take to finish after a stop signal.</summary>
    private static readonly TimeSpan ShutdownGrace = TimeSpan.FromSeconds(15);

    /// <summary>Builds the <c>serve</c> command.</summary>
    public static Command Create()
    {
        var config = new Option<string>("--config", "-c") { Description = "The configuration file.", DefaultValueFactory = _ => "mandate.yaml" };
        var check = new Option<bool>("--check") { Description = "Validate the configuration and policies, print the problems, and exit." };
        var command = new Command("serve", "Run the gateway: data plane (agents) and control plane (admin).") { config, check };
        command.SetAction(async (parse, outer) =>
        {
            // First: from here on SIGINT/SIGTERM cancel `ct` instead of killing the process, so a signal during
            // start-up ends start-up cleanly (exit 0) and one later stops the planes and closes the audit log.
            using var stop = new StopSignal(outer);
            var ct = stop.Token;
            var output = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            var path = parse.GetValue(config)!;
            var loaded = MandateConfigLoader.Load(path);
            if (!loaded.Succeeded)
            {
                await error.WriteLineAsync($"mandate: {Path.GetFullPath(path)} has {loaded.Problems.Count} problem(s):");
                foreach (var p in loaded.Problems)
                {
                    await error.WriteLineAsync($"  {p}");
                }

                return 2;
            }

            if (parse.GetValue(check))
            {
                var build = new SnapshotBuilder(new CedarPolicyCompiler(), TimeProvider.System).Build(loaded.Config!);
                if (build.Snapshot is null)
                {
                    await error.WriteLineAsync($"mandate: the policy set has {build.Problems.Count} problem(s):");
                    foreach (var p in build.Problems)
                    {
                        await error.WriteLineAsync($"  {p}");
                    }

                    return 1;
                }

                await output.WriteLineAsync($"{Path.GetFullPath(path)}: configuration is valid; policies {build.Snapshot.Version} ({build.Snapshot.DecisionPoint.PolicyIds.Count} policies)");
                return 0;
            }

            var options = new MandateServerOptions
            {
                // Per-request Information logs of ASP.NET Core and YARP cost more than the decision itself;
                // the audit log is the per-request record.
                // Errors (an audit log that cannot be written, whose requests are refused) go to stderr.
                Logging = b => b.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Error)
                    .AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = "HH:mm:ss "; })
                    .SetMinimumLevel(LogLevel.Information)
                    .AddFilter("Microsoft.AspNetCore", LogLevel.Warning)
                    // Enabled at any level, this category makes ASP.NET Core start an Activity and a log scope for every
                    // request (≈ 4 µs of CPU each here), only to print request start/finish lines, which are Information.
                    .AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.None)
                    .AddFilter("Yarp", LogLevel.Warning)
                    .AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Information),
            };
            await output.WriteLineAsync($"starting:      {Path.GetFullPath(path)}");
            await output.WriteLineAsync($"audit:         {loaded.Config!.Audit.Durability.Name()} durable by default; power_loss for {loaded.Config.Routes.Count(r => r.Durability == AuditDurability.PowerLoss)} routes");
            var (gateway, problems) = await MandateGateway.StartAsync(loaded.Config!, options, ct);
            if (gateway is null)
            {
                if (ct.IsCancellationRequested)
                {
                    await output.WriteLineAsync("stopped during start-up");
                    return 0;
                }

                await error.WriteLineAsync("mandate: cannot start:");
                foreach (var p in problems)
                {
                    await error.WriteLineAsync($"  {p}");
                }

                return 1;
            }

            await using (gateway)
            {
                await output.WriteLineAsync($"data plane:    {gateway.Server.DataPlaneAddress}");
                await output.WriteLineAsync($"control plane: {gateway.Server.ControlPlaneAddress}");
                await output.WriteLineAsync($"policies:      {gateway.Server.Snapshots.Current.Version} ({gateway.Server.Snapshots.Current.DecisionPoint.PolicyIds.Count} policies)");
                try
                {
                    await Task.Delay(Timeout.Infinite, ct);
                }
                catch (OperationCanceledException)
                {
                    // Ctrl+C or SIGTERM: stop accepting, finish in-flight requests, then (leaving this block)
                    // drain and close the audit log.
                }

                using var grace = new CancellationTokenSource(ShutdownGrace);
                await gateway.Server.StopAsync(grace.Token);
            }

            await output.WriteLineAsync("stopped");
            return 0;
        });
        return command;
    }
}
