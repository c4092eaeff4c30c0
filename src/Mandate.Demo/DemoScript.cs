using Mandate.Core.Errors;
using System.Text;

namespace Mandate.Demo;

/// <summary>
/// The calls <c>mandate demo</c> prints, and their rendering as shell lines: one <c>export</c> per
/// agent token, then one <c>curl</c> per call preceded by a comment stating the expected status; before the
/// first call with a task token, the token exchange that stores it in <see cref="TaskVariable"/>; after the
/// step-up call that stores an approval id in <see cref="ApprovalVariable"/>, the person's <see cref="Approval"/>
/// with the CLI, then the retries that present it.
/// The demo test parses exactly this text and replays it, so what is printed is what is tested.
/// </summary>
public static class DemoScript
{
    /// <summary>Prefix of the comment line before each curl command: <c># expect 403 · title</c>.</summary>
    public const string ExpectPrefix = "# expect ";

    /// <summary>Prefix of the comment line before the token exchange: <c># task token · title</c>.</summary>
    public const string ExchangePrefix = "# task token · ";

    /// <summary>The shell variable the printed token exchange stores the task token in.</summary>
    public const string TaskVariable = "TASK";

    /// <summary>The shell variable the printed step-up call stores the approval id in.</summary>
    public const string ApprovalVariable = "APPROVAL";

    /// <summary>The answer the printed approval announces (<c># expect approved · title</c>): the CLI prints the approval, approved.</summary>
    public const string ApprovedAnswer = "approved";

    /// <summary>The header a retried call presents its approval in (docs/approvals.md).</summary>
    public const string ApprovalHeader = "Mandate-Approval";

    /// <summary>MCP's Streamable HTTP transport: a POST accepts a JSON answer or an SSE stream.</summary>
    public const string McpAccept = "application/json, text/event-stream";

    /// <summary>The MCP endpoint of the helpdesk server on the gateway (<c>mcp.servers.helpdesk</c>).</summary>
    public const string HelpdeskPath = "/mcp/" + HelpdeskMcpServer.Name;

    /// <summary>The task the demo opens: support-bot's, holding only the helpdesk's read tool.</summary>
    public static DemoTaskExchange TaskExchange { get; } = new(
        "support-bot exchanges its own token (RFC 8693, POST /oauth2/token) for a task token whose task declares one tool, helpdesk/search_tickets (policy agents-may-open-own-tasks)",
        DemoAgents.SupportBot,
        ["tickets:read", "tickets:write"],
        "find the printer ticket",
        ["mcp.tools.call:" + HelpdeskMcpServer.Name + "/" + HelpdeskTools.Search]);

    /// <summary>The demo's calls against the sample policies.</summary>
    public static IReadOnlyList<DemoCall> Calls { get; } =
    [
        new("allowed: support-bot (acting for alice) lists tickets",
            DemoAgents.SupportBot, "GET", "/tickets", null, 200, "support-reads-tickets"),
        new("allowed: support-bot closes ticket 1002",
            DemoAgents.SupportBot, "PATCH", "/tickets/1002", """{"status":"closed"}""", 200, "support-writes-tickets"),
        new("denied with a reason: secret documents are never shown to agents",
            DemoAgents.SupportBot, "GET", "/documents/merger-plan", null, 403, "no-secret-documents"),
        new("denied: finance-agent acts for nobody, so it may not read internal documents",
            DemoAgents.FinanceAgent, "GET", "/documents/roadmap-2027", null, 403, "internal-documents-need-a-user"),
        new("denied: intern-bot is read-only",
            DemoAgents.InternBot, "POST", "/tickets", """{"title":"Coffee machine is empty"}""", 403, "intern-bot-is-read-only"),
        new("allowed: finance-agent pays 12.50 EUR",
            DemoAgents.FinanceAgent, "POST", "/payments", """{"amount":1250,"currency":"EUR","payee":"ACME Office Supplies"}""", 201, "finance-creates-payments"),
        BigPayment("step-up: finance-agent pays 2,500.00 EUR, above the 1,000.00 limit (the JSON body is context.args): approval.required, the approval id kept in $" + ApprovalVariable + ", nothing paid",
            403, "payment-limit") with { ExpectedCode = ErrorCatalogue.ApprovalRequired.Code, Capture = new(ApprovalVariable, "approvalId") },
        BigPayment("the retry presents the approval (" + ApprovalHeader + ": $" + ApprovalVariable + "): decided again with context.approval.granted, allowed and paid",
            201, "finance-creates-payments") with { ApprovalVariable = ApprovalVariable, ExpectedText = BigPayee },
        BigPayment("the same retry again: refused as approval.consumed, an approval lets one call through",
            403, null) with { ApprovalVariable = ApprovalVariable, ExpectedCode = ErrorCatalogue.ApprovalConsumed.Code },
        new("allowed: legacy API behind a static key the agent never sees (attached from the vault)",
            DemoAgents.FinanceAgent, "GET", "/legacy/reports", null, 200, "finance-reads-legacy-reports"),
        new("no token: 401 with WWW-Authenticate",
            null, "GET", "/tickets", null, 401, null),
        new("path trick (encoded slashes and dot segments): refused with 400 before any policy runs",
            DemoAgents.SupportBot, "GET", "/tickets/1001%2F..%2F..%2Fdocuments%2Fmerger-plan", null, 400, null),
        ToolCall("MCP, allowed: support-bot calls helpdesk/search_tickets with its own token; the answer carries the tool's result",
            null, HelpdeskTools.Search, """{"query":"printer"}""", "support-searches-tickets") with { ExpectedText = "Printer on floor 3 jams" },
        ToolCall("MCP, in task: the task token calls helpdesk/search_tickets, the one tool its task declares; the answer carries the tool's result",
            TaskVariable, HelpdeskTools.Search, """{"query":"printer"}""", "support-searches-tickets") with { ExpectedText = "Printer on floor 3 jams" },
        ToolCall("MCP, out of task: the same token calls helpdesk/delete_ticket, which its scopes and the policies would allow but its task does not declare: a JSON-RPC error with \"rule\":\"session.out_of_task\", and nothing reaches the server",
            TaskVariable, HelpdeskTools.Delete, """{"id":"1003"}""", null) with { ExpectedRule = ErrorCatalogue.SessionOutOfTask.Code },
    ];

    /// <summary>
    /// The person's approval, printed after the call that opens the request and before the retry: carol, the finance
    /// lead, the one approver in the demo's <c>approvals.approvers</c>. No demo agent acts for her (nobody approves a
    /// call made for them), and she uses her own token, not the agent's.
    /// </summary>
    public static DemoApprovalStep Approval { get; } = new(
        "carol, the finance lead (approvals.approvers), approves exactly that call with the CLI and her own token; she is not the agent nor anyone it acts for",
        "carol",
        ApprovalVariable,
        "invoice checked with the supplier");

    private const string BigPayee = "Unknown Holdings Ltd";

    // The payment above the limit, the same call byte for byte each time: an approval is bound to exactly this body.
    private static DemoCall BigPayment(string title, int status, string? policy) =>
        new(title, DemoAgents.FinanceAgent, "POST", "/payments", $$"""{"amount":250000,"currency":"EUR","payee":"{{BigPayee}}"}""", status, policy);

    // A JSON-RPC tools/call to the helpdesk as support-bot, with its workload token or (tokenVariable) its task token.
    private static DemoCall ToolCall(string title, string? tokenVariable, string tool, string arguments, string? policy) =>
        new(title, DemoAgents.SupportBot, "POST", HelpdeskPath,
            $$$"""{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"{{{tool}}}","arguments":{{{arguments}}}}}""", 200, policy)
        {
            TokenVariable = tokenVariable,
            Accept = McpAccept,
        };

    /// <summary>The shell variable holding an agent's token, e.g. <c>SUPPORT_BOT</c>.</summary>
    public static string VariableOf(DemoAgent agent) => agent.Id.ToUpperInvariant().Replace('-', '_');

    /// <summary>
    /// Renders the export lines and curl commands. <paramref name="gateway"/> is the data plane's base address;
    /// <paramref name="tokens"/> maps agent ids to tokens; <paramref name="controlPlane"/> is where and how the printed
    /// approval runs the CLI.
    /// </summary>
    public static string Render(Uri gateway, IReadOnlyDictionary<string, string> tokens, DemoControlPlane controlPlane)
    {
        var baseUrl = gateway.ToString().TrimEnd('/');
        var text = new StringBuilder();
        foreach (var agent in DemoAgents.All)
        {
            text.Append("# ").Append(agent.Id).Append(": ").Append(agent.Description)
                .Append(" (scopes: ").Append(string.Join(' ', agent.Scopes)).Append(")\n");
            text.Append("export ").Append(VariableOf(agent)).Append("='").Append(tokens[agent.Id]).Append("'\n");
        }

        var mcpShown = false;
        var taskShown = false;
        foreach (var call in Calls)
        {
            if (!mcpShown && call.Target.StartsWith(HelpdeskPath, StringComparison.Ordinal))
            {
                mcpShown = true;
                text.Append("\n# MCP: the helpdesk server (tools search_tickets and delete_ticket) behind the gateway at ")
                    .Append(baseUrl).Append(HelpdeskPath).Append("; every tools/call is decided on Mandate::Tool::\"")
                    .Append(HelpdeskMcpServer.Name).Append("/<tool>\" and its arguments\n");
            }

            if (!taskShown && call.TokenVariable == TaskVariable)
            {
                taskShown = true;
                RenderExchange(text, baseUrl);
            }

            if (call.Capture?.Variable == Approval.Variable)
            {
                text.Append("\n# Step-up approval: above 1,000.00 a payment waits for a person (payment-limit carries @step_up(\"approval\")).\n")
                    .Append("# The gateway opens an approval request bound to exactly this call; ").Append(Approval.Approver)
                    .Append(" approves it with the CLI; the agent retries with the approval id, and it goes through once.\n");
            }

            text.Append('\n').Append(ExpectPrefix).Append(call.ExpectedStatus).Append(" · ").Append(call.Title).Append('\n');
            if (call.Capture is { } capture)
            {
                // The answer goes to the terminal (tee /dev/stderr) and through sed, which keeps the one JSON member;
                // -n …p prints only the body line that has it, not the status line and headers that -i adds.
                text.Append(capture.Variable).Append("=$(");
                RenderCurl(text, call, baseUrl);
                text.Append(" | tee /dev/stderr | sed -nE 's/.*\"").Append(capture.Member).Append("\":\"([^\"]+)\".*/\\1/p')\n");
            }
            else
            {
                RenderCurl(text, call, baseUrl);
                text.Append('\n');
            }

            if (call.Capture?.Variable == Approval.Variable)
            {
                RenderApproval(text, controlPlane);
            }
        }

        return text.ToString();
    }

    /// <summary>A path or argument as one shell word: as is when it holds only safe characters, else single-quoted.</summary>
    public static string Quote(string word) =>
        word.Length > 0 && word.All(c => char.IsAsciiLetterOrDigit(c) || c is '/' or '.' or '-' or '_' or ':')
            ? word
            : "'" + word.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    private static void RenderCurl(StringBuilder text, DemoCall call, string baseUrl)
    {
        text.Append("curl -sS -i --path-as-is");
        if (call.Method != "GET")
        {
            text.Append(" -X ").Append(call.Method);
        }

        if (call.Agent is not null)
        {
            text.Append(" -H \"Authorization: Bearer $").Append(call.TokenVariable ?? VariableOf(call.Agent)).Append('"');
        }

        if (call.ApprovalVariable is { } approval)
        {
            text.Append(" -H \"").Append(ApprovalHeader).Append(": $").Append(approval).Append('"');
        }

        if (call.Accept is not null)
        {
            text.Append(" -H 'Accept: ").Append(call.Accept).Append('\'');
        }

        if (call.Body is not null)
        {
            text.Append(" -H 'Content-Type: application/json' -d '").Append(call.Body).Append('\'');
        }

        text.Append(" '").Append(baseUrl).Append(call.Target).Append('\'');
    }

    // The person's decision, with the same CLI the demo prints for `audit`, on the control plane, with her own token.
    private static void RenderApproval(StringBuilder text, DemoControlPlane controlPlane)
    {
        var approval = Approval;
        text.Append('\n').Append(ExpectPrefix).Append(ApprovedAnswer).Append(" · ").Append(approval.Title).Append('\n');
        text.Append(controlPlane.MandateCommand).Append(" approvals approve \"$").Append(approval.Variable).Append('"')
            .Append(" --admin-url ").Append(Quote(controlPlane.Address.ToString().TrimEnd('/')))
            .Append(" --token-file ").Append(Quote(controlPlane.ApproverTokenFile))
            .Append(" --comment ").Append(Quote(approval.Comment)).Append('\n');
    }

    // The exchange prints the token endpoint's JSON through sed into the variable: sed -E is on every system that has
    // curl (jq often is not), and the answer is compact JSON whose access_token is a JWT, so the pattern is exact.
    private static void RenderExchange(StringBuilder text, string baseUrl)
    {
        var exchange = TaskExchange;
        text.Append('\n').Append(ExchangePrefix).Append(exchange.Title).Append('\n');
        text.Append(TaskVariable).Append("=$(curl -sS")
            .Append(" -d grant_type=urn:ietf:params:oauth:grant-type:token-exchange")
            .Append(" -d \"actor_token=$").Append(VariableOf(exchange.Actor)).Append('"')
            .Append(" -d actor_token_type=urn:ietf:params:oauth:token-type:jwt")
            .Append(" --data-urlencode 'scope=").Append(string.Join(' ', exchange.Scopes)).Append('\'')
            .Append(" --data-urlencode 'authorization_details=").Append(exchange.AuthorizationDetails).Append('\'')
            .Append(" '").Append(baseUrl).Append("/oauth2/token'")
            .Append(" | sed -E 's/.*\"access_token\":\"([^\"]+)\".*/\\1/')\n");
    }
}
