using System.CommandLine;

namespace Mandate.Cli.Commands;

/// <summary>
/// <c>mandate mcp schema SERVER --admin-url URL --admin-token-file F</c>: prints the Cedar types of an MCP server's
/// tool arguments as the running gateway generated them from the tools' <c>inputSchema</c> (it learns them with the
/// server's own credential when it starts, and from every list), then the loaded policies' problems on
/// <c>context.args</c> against them on stderr. Exit codes: 0 no problems, 1 problems or the gateway refused, 2 bad arguments.
/// </summary>
internal static class McpCommand
{
    /// <summary>Builds the <c>mcp</c> command.</summary>
    public static Command Create()
    {
        var server = new Argument<string>("server") { Description = "The MCP server's name in mandate.yaml (mcp.servers.NAME)." };
        var adminUrl = new Option<string>("--admin-url") { Description = "The control plane's base URL, e.g. http://127.0.0.1:8081.", Required = true };
        var tokenFile = new Option<string>("--admin-token-file") { Description = "File holding the admin token.", Required = true };
        var schema = new Command("schema", "Print the Cedar schema of an MCP server's tool arguments and check the policies against it.") { server, adminUrl, tokenFile };
        schema.SetAction(async (parse, ct) =>
        {
            var output = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            var (answer, code) = await AdminCall.SendAsync(error, parse.GetValue(adminUrl), parse.GetValue(tokenFile)!, HttpMethod.Get,
                "/v1/mcp/" + Uri.EscapeDataString(parse.GetValue(server)!) + "/schema", null, ct);
            if (answer is not { } json || !json.TryGetProperty("schema", out var schemaText) || !json.TryGetProperty("problems", out var listed))
            {
                if (answer is not null) await error.WriteLineAsync("error: the gateway's answer has no `schema` and `problems`");
                return answer is null ? code : 1;
            }

            await output.WriteAsync(schemaText.GetString());
            var problems = listed.EnumerateArray().ToList();
            foreach (var p in problems)
            {
                await error.WriteLineAsync($"policy `{p.GetProperty("policy").GetString()}`: {p.GetProperty("message").GetString()}");
            }

            return problems.Count == 0 ? 0 : 1;
        });
        var command = new Command("mcp", "Work with the MCP servers behind the gateway.");
        command.Subcommands.Add(schema);
        return command;
    }
}
