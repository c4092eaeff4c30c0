namespace Mandate.Server.Telemetry;

/// <summary>
/// Attribute names on Mandate's spans: OpenTelemetry's semantic conventions where one exists (<c>http.*</c>,
/// <c>url.path</c>, <c>server.*</c>, <c>client.address</c>, <c>error.type</c>), <c>mandate.*</c> otherwise.
/// INVARIANT: no attribute carries a token, a secret, a credential or an argument value — only identities, names,
/// codes and policy ids (a test scans every exported attribute for them).
/// </summary>
public static class SpanAttributes
{
    /// <summary>The front a request came through (<c>http</c>, <c>mcp</c>, <c>oauth</c>, …).</summary>
    public const string Front = "mandate.front";

    /// <summary>The decision id (also the audit record's and <c>X-Mandate-Decision-Id</c>).</summary>
    public const string DecisionId = "mandate.decision_id";

    /// <summary>The calling agent's id.</summary>
    public const string Agent = "mandate.agent";

    /// <summary>The user the agent acts for, when it does.</summary>
    public const string User = "mandate.user";

    /// <summary>The task (session id of the task token), when the caller holds one.</summary>
    public const string Task = "mandate.task";

    /// <summary>How the caller proved itself (<c>jwt</c>, <c>task_token</c>, <c>x509</c>, …).</summary>
    public const string AuthMethod = "mandate.auth_method";

    /// <summary><c>allow</c>, <c>deny</c> or <c>step_up</c>.</summary>
    public const string Verdict = "mandate.verdict";

    /// <summary>The stable code of the verdict (<c>policy.allow</c>, <c>policy.deny</c>, <c>identity.missing</c>, …).</summary>
    public const string Code = "mandate.code";

    /// <summary>The determining policy ids.</summary>
    public const string Policies = "mandate.policies";

    /// <summary>The Cedar action.</summary>
    public const string Action = "mandate.action";

    /// <summary>The resource's entity type (never its id: ids come from paths and arguments).</summary>
    public const string ResourceType = "mandate.resource.type";

    /// <summary>The upstream the call goes to.</summary>
    public const string Upstream = "mandate.upstream";

    /// <summary>Whether the record reached the durability class in force.</summary>
    public const string Durable = "mandate.audit.durable";

    /// <summary>The approval a step-up opened or a call used.</summary>
    public const string ApprovalId = "mandate.approval_id";

    /// <summary>The MCP server's name.</summary>
    public const string McpServer = "mandate.mcp.server";

    /// <summary>The JSON-RPC method of an MCP message.</summary>
    public const string McpMethod = "mandate.mcp.method";

    /// <summary>The tool, prompt or resource an MCP message names.</summary>
    public const string McpItem = "mandate.mcp.item";

    /// <summary>The token exchange check (<c>form</c>, <c>actor</c>, <c>plan</c>, …).</summary>
    public const string Check = "mandate.exchange.check";

    /// <summary>OpenTelemetry: the HTTP method.</summary>
    public const string HttpMethod = "http.request.method";

    /// <summary>OpenTelemetry: the matched route template.</summary>
    public const string HttpRoute = "http.route";

    /// <summary>OpenTelemetry: the response status.</summary>
    public const string HttpStatus = "http.response.status_code";

    /// <summary>OpenTelemetry: the path (canonical once known; never the query, which may carry anything).</summary>
    public const string UrlPath = "url.path";

    /// <summary>OpenTelemetry: <c>http</c> or <c>https</c>.</summary>
    public const string UrlScheme = "url.scheme";

    /// <summary>OpenTelemetry: the server's host name.</summary>
    public const string ServerAddress = "server.address";

    /// <summary>OpenTelemetry: the server's port.</summary>
    public const string ServerPort = "server.port";

    /// <summary>OpenTelemetry: the client's address (the TCP peer).</summary>
    public const string ClientAddress = "client.address";

    /// <summary>OpenTelemetry: the class of error (a stable code).</summary>
    public const string ErrorType = "error.type";
}
