using System.CommandLine;
using System.Text.Json;

namespace Mandate.Cli.Commands;

/// <summary>
/// <c>mandate approvals list|show|approve|deny</c>: people decide step-up approvals through the running gateway's
/// control plane (<c>/v1/approvals</c>), each with their own approver token (<c>approvals.approvers</c>; an
/// administrator's token may list and show). Exit codes: 0 done, 1 refused by the gateway or unreachable, 2 bad
/// arguments.
/// </summary>
internal static class ApprovalsCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var adminUrl = new Option<string>("--admin-url") { Description = "The control plane's base URL, e.g. http://127.0.0.1:8081.", Required = true, Recursive = true };
        var tokenFile = new Option<string>("--token-file") { Description = "File holding your approver token (or the admin token, to list and show).", Required = true, Recursive = true };
        var status = new Option<string?>("--status") { Description = "Only approvals in this status: pending, approved, denied, consumed, expired." };
        var id = new Argument<string>("id") { Description = "The approval id (from the step-up answer, the webhook or `approvals list`)." };
        var comment = new Option<string?>("--comment") { Description = "Why (recorded with the decision)." };

        var list = new Command("list", "List approval requests (oldest first).") { status };
        list.SetAction((parse, ct) => SendAsync(parse, adminUrl, tokenFile, HttpMethod.Get,
            "/v1/approvals" + (parse.GetValue(status) is { Length: > 0 } s ? "?status=" + Uri.EscapeDataString(s) : ""), null, ct));
        var show = new Command("show", "Show one approval request: the exact call, its arguments and the reasons.") { id };
        show.SetAction((parse, ct) => SendAsync(parse, adminUrl, tokenFile, HttpMethod.Get, "/v1/approvals/" + Uri.EscapeDataString(parse.GetValue(id)!), null, ct));
        var approve = new Command("approve", "Approve one pending request (lets exactly that call through, once).") { id, comment };
        approve.SetAction((parse, ct) => SendAsync(parse, adminUrl, tokenFile, HttpMethod.Post, "/v1/approvals/" + Uri.EscapeDataString(parse.GetValue(id)!) + "/approve", parse.GetValue(comment), ct));
        var deny = new Command("deny", "Deny one pending request.") { id, comment };
        deny.SetAction((parse, ct) => SendAsync(parse, adminUrl, tokenFile, HttpMethod.Post, "/v1/approvals/" + Uri.EscapeDataString(parse.GetValue(id)!) + "/deny", parse.GetValue(comment), ct));

        return new Command("approvals", "Decide step-up approvals on a running gateway.") { adminUrl, tokenFile, list, show, approve, deny };
    }

    internal static async Task<int> SendAsync(ParseResult parse, Option<string> adminUrl, Option<string> tokenFile, HttpMethod method, string path, string? comment, CancellationToken ct)
    {
        var body = method == HttpMethod.Post ? new Dictionary<string, string?> { ["comment"] = comment } : null;
        var (answer, code) = await AdminCall.SendAsync(parse.InvocationConfiguration.Error, parse.GetValue(adminUrl), parse.GetValue(tokenFile)!, method, path, body, ct);
        if (answer is { } json)
        {
            await parse.InvocationConfiguration.Output.WriteLineAsync(JsonSerializer.Serialize(json, new JsonSerializerOptions { WriteIndented = true }));
        }

        return code;
    }
}
