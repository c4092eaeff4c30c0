using System.CommandLine;
using Mandate.Server.Demo;

namespace Mandate.Cli.Commands;

/// <summary>
/// <c>mandate demo</c>: the whole product on one machine in one process (sample API, token issuer,
/// gateway on SQLite), plus <c>mandate demo issuer</c>, the issuer alone for scripts such as the
/// load benchmark.
/// </summary>
public static class DemoCommand
{
    /// <summary>Builds the <c>demo</c> command with its <c>issuer</c> subcommand.</summary>
    public static Command Create()
    {
        var command = new Command("demo", "Run a gateway in front of a sample API with a local token issuer, sample agents and policies, and print ready curl commands.");
        command.Subcommands.Add(CreateIssuer());
        return command;
    }

    private static Command CreateIssuer()
    {
        var port = new Option<int>("--port") { Description = "Port on 127.0.0.1 (0 picks a free one).", DefaultValueFactory = _ => 0 };
        var output = new Option<DirectoryInfo>("--out") { Description = "Folder for issuer.txt, token-<agent>.txt and tokens-fresh.txt.", Required = true };
        var fresh = new Option<int>("--fresh") { Description = "How many distinct support-bot tokens to write to tokens-fresh.txt.", DefaultValueFactory = _ => 0 };
        var audience = new Option<string>("--audience") { Description = "The tokens' aud.", DefaultValueFactory = _ => "mandate-demo" };
        var lifetime = new Option<int>("--lifetime-minutes") { Description = "Token lifetime.", DefaultValueFactory = _ => 60 };
        var command = new Command("issuer", "Run only the demo's OIDC token issuer (discovery + JWKS on 127.0.0.1) and write tokens to files; runs until Ctrl+C.")
        {
            port, output, fresh, audience, lifetime,
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            if (result.GetValue(fresh) < 0 || result.GetValue(lifetime) <= 0)
            {
                await Console.Error.WriteLineAsync("mandate demo issuer: --fresh must be ≥ 0 and --lifetime-minutes > 0");
                return 2;
            }

            await using var issuer = await DemoIssuer.StartAsync(
                new DemoIssuerOptions { Port = result.GetValue(port), Audience = result.GetValue(audience)! }, TimeProvider.System, cancellationToken);
            var directory = result.GetValue(output)!.FullName;
            IssuerTokenFiles.Write(issuer, directory, result.GetValue(fresh), TimeSpan.FromMinutes(result.GetValue(lifetime)));
            Console.WriteLine($"issuer {issuer.Issuer} (tokens in {directory}); Ctrl+C to stop");
            await WaitUntilCancelledAsync(cancellationToken);
            return 0;
        });
        return command;
    }

    private static async Task WaitUntilCancelledAsync(CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // Ctrl+C or SIGTERM: the normal way to stop.
        }
    }
}
