using System.CommandLine;

namespace Mandate.Cli.Commands;

/// <summary>
/// <c>mandate revoke --token|--session|--agent|--user X --admin-url URL --admin-token-file F</c>: revokes task tokens
/// through the running gateway's admin API (<c>POST /v1/revoke</c>), so the gateway's in-memory revocation set is
/// updated before the command returns and the very next request is refused. Exit codes: 0 revoked, 1 refused by the
/// gateway or unreachable, 2 bad arguments.
/// </summary>
internal static class RevokeCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var token = new Option<string?>("--token") { Description = "A task token (or its jti): revokes it and every token derived from it." };
        var session = new Option<string?>("--session") { Description = "A session id: ends the session and every token of it." };
        var agent = new Option<string?>("--agent") { Description = "An agent id: revokes every task token it holds or appears in." };
        var user = new Option<string?>("--user") { Description = "A user id: revokes every task token issued for that user." };
        var reason = new Option<string?>("--reason") { Description = "Why (recorded with the revocation)." };
        var adminUrl = new Option<string>("--admin-url") { Description = "The control plane's base URL, e.g. http://127.0.0.1:8081.", Required = true };
        var tokenFile = new Option<string>("--admin-token-file") { Description = "File holding the admin token.", Required = true };
        var command = new Command("revoke", "Revoke task tokens by token, session, agent or user (takes effect on the next request).")
        {
            token, session, agent, user, reason, adminUrl, tokenFile,
        };
        command.SetAction(async (parse, ct) =>
        {
            var output = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            var given = new (string Name, string? Value)[]
            {
                ("token", parse.GetValue(token)), ("session", parse.GetValue(session)), ("agent", parse.GetValue(agent)), ("user", parse.GetValue(user)),
            }.Where(g => !string.IsNullOrEmpty(g.Value)).ToArray();
            if (given.Length != 1)
            {
                await error.WriteLineAsync("error: give exactly one of --token, --session, --agent, --user");
                return 2;
            }
            var body = new Dictionary<string, string> { [given[0].Name] = given[0].Value! };
            if (parse.GetValue(reason) is { Length: > 0 } why)
            {
                body["reason"] = why;
            }

            var (answer, code) = await AdminCall.SendAsync(error, parse.GetValue(adminUrl), parse.GetValue(tokenFile)!, HttpMethod.Post, "/v1/revoke", body, ct);
            if (answer is not { } json)
            {
                return code;
            }

            var count = json.TryGetProperty("tokens", out var t) ? t.GetInt32() : 0;
            await output.WriteLineAsync($"revoked {given[0].Name} {given[0].Value}: {count} live token(s) no longer valid");
            return 0;
        });
        return command;
    }
}
