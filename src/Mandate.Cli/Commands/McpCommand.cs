using System.CommandLine;
using System.Net.Http.Headers;
using System.Text.Json;

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
            if (!Uri.TryCreate(parse.GetValue(adminUrl), UriKind.Absolute, out var baseUrl) || (baseUrl.Scheme != "http" && baseUrl.Scheme != "https"))
            {
                await error.WriteLineAsync("error: --admin-url must be an absolute http(s) url");
                return 2;
            }

            string adminToken;
            try
            {
                adminToken = (await File.ReadAllTextAsync(parse.GetValue(tokenFile)!, ct)).Trim();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                await error.WriteLineAsync($"error: cannot read the admin token file: {e.Message}");
                return 2;
            }

            using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false }) { Timeout = TimeSpan.FromSeconds(30) };
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(baseUrl, "/v1/mcp/" + Uri.EscapeDataString(parse.GetValue(server)!) + "/schema"));
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", adminToken);
            try
            {
                using var response = await http.SendAsync(request, ct);
                var text = await response.Content.ReadAsStringAsync(ct);
                if (!response.IsSuccessStatusCode)
                {
                    await error.WriteLineAsync($"error: the gateway refused ({(int)response.StatusCode}): {text}");
                    return 1;
                }

                using var json = JsonDocument.Parse(text);
                await output.WriteAsync(json.RootElement.GetProperty("schema").GetString());
                var problems = json.RootElement.GetProperty("problems").EnumerateArray().ToList();
                foreach (var p in problems)
                {
                    await error.WriteLineAsync($"policy `{p.GetProperty("policy").GetString()}`: {p.GetProperty("message").GetString()}");
                }

                return problems.Count == 0 ? 0 : 1;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException or KeyNotFoundException)
            {
                await error.WriteLineAsync($"error: cannot reach the gateway: {e.Message}");
                return 1;
            }
        });
        var command = new Command("mcp", "Work with the MCP servers behind the gateway.");
        command.Subcommands.Add(schema);
        return command;
    }
}
