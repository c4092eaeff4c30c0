using Mandate.Core.Errors;
using System.Text.Json;
using Mandate.Core.Decisions;

namespace Mandate.Core.Mcp;

/// <summary>
/// Maps one client message to what the gateway does with it: a policy decision (action + resource entity),
/// plumbing forwarded without one, a client response, or a refusal. Fails closed: a method it does not know,
/// a request method sent as a notification, or a name it cannot read is refused, never forwarded.
/// </summary>
public static class McpCallClassifier
{
    private static readonly IReadOnlyDictionary<string, JsonElement> NoAttributes = new Dictionary<string, JsonElement>();

    /// <summary>
    /// Classifies <paramref name="message"/> for the upstream named <paramref name="serverName"/>, under the rules of a
    /// legacy (handshake) version or, with <paramref name="modern"/>, of 2026-07-28: no handshake, ping, log level or
    /// resource subscriptions; <c>server/discover</c> (answered by Mandate) and <c>subscriptions/listen</c>; and the retry
    /// members of a multi round-trip request (<c>inputResponses</c>, <c>requestState</c>) on the calls that allow them.
    /// </summary>
    public static McpClassification Classify(JsonRpcMessage message, string serverName, bool modern = false)
    {
        if (!McpNames.IsValidServerName(serverName))
        {
            // A configuration bug, caught here too so it can never produce an ambiguous entity id.
            return Refuse(message.Method, new JsonRpcError(ErrorCatalogue.McpServerName, "the upstream server name is not valid"));
        }
        switch (message.Kind)
        {
            case JsonRpcMessageKind.Invalid:
                return Refuse(null, message.Error ?? new JsonRpcError(ErrorCatalogue.JsonRpcNotObject, "invalid message"));
            case JsonRpcMessageKind.Response:
                return new McpClassification { Kind = McpCallKind.ClientResponse };
        }

        var method = message.Method!;
        var isRequest = message.Kind == JsonRpcMessageKind.Request;
        var notifications = modern ? McpMethods.ModernClientNotifications : McpMethods.ClientNotifications;
        var requests = modern ? McpMethods.ModernClientRequests : McpMethods.ClientRequests;
        if (notifications.Contains(method))
        {
            return isRequest
                ? Refuse(method, new JsonRpcError(ErrorCatalogue.McpRequestNotAllowed, "the method is a notification and must not carry an id"))
                : new McpClassification { Kind = McpCallKind.Plumbing, Method = method };
        }
        if (!requests.Contains(method))
        {
            return Refuse(method, new JsonRpcError(ErrorCatalogue.McpUnknownMethod, "the method is not known"));
        }
        if (!isRequest)
        {
            // A request method without an id would act while no answer (and so no denial) can reach the caller.
            return Refuse(method, new JsonRpcError(ErrorCatalogue.McpNotificationNotAllowed, "the method must be sent as a request with an id"));
        }

        var p = message.Params;
        return method switch
        {
            McpMethods.Initialize or McpMethods.Ping or McpMethods.ResourcesUnsubscribe or McpMethods.ServerDiscover =>
                new McpClassification { Kind = McpCallKind.Plumbing, Method = method },
            McpMethods.ToolsCall => ToolsCall(p, serverName, modern),
            McpMethods.ResourcesRead => OnResource(method, McpActions.ResourcesRead, p, serverName, modern),
            McpMethods.SubscriptionsListen => OnServer(method, McpActions.SubscriptionsListen, serverName, null),
            McpMethods.ResourcesSubscribe => OnResource(method, McpActions.ResourcesSubscribe, p, serverName),
            McpMethods.PromptsGet => PromptsGet(p, serverName, modern),
            McpMethods.CompletionComplete => CompletionComplete(p, serverName),
            McpMethods.ToolsList => OnServer(method, McpActions.ToolsList, serverName, McpListKind.Tools),
            McpMethods.ResourcesList => OnServer(method, McpActions.ResourcesList, serverName, McpListKind.Resources),
            McpMethods.ResourcesTemplatesList => OnServer(method, McpActions.ResourcesTemplatesList, serverName, McpListKind.ResourceTemplates),
            McpMethods.PromptsList => OnServer(method, McpActions.PromptsList, serverName, McpListKind.Prompts),
            McpMethods.LoggingSetLevel => OnServer(method, McpActions.LoggingSetLevel, serverName, null),
            _ => Refuse(method, new JsonRpcError(ErrorCatalogue.McpUnknownMethod, "the method is not known")),
        };
    }

    /// <summary>
    /// Rules that concern a batch as a whole: <c>initialize</c> must not be part of one (MCP 2025-03-26). Returns the
    /// error refusing the whole batch, or null.
    /// </summary>
    public static JsonRpcError? CheckBatch(JsonRpcParseResult result)
    {
        if (!result.IsBatch)
        {
            return null;
        }
        return result.Messages.Any(m => m.IsCall && m.Method == McpMethods.Initialize)
            ? new JsonRpcError(ErrorCatalogue.McpInitializeInBatch, "`initialize` must not be part of a batch")
            : null;
    }

    /// <summary>The <c>McpServer</c> entity for <paramref name="serverName"/>.</summary>
    public static EntityRef ServerEntity(string serverName) => new(McpEntityTypes.McpServer, serverName);

    /// <summary>The <c>McpServer</c> as the resource of a call on the server itself (lists, discovery, listening, requests the server sends).</summary>
    public static ResourceDescriptor ServerResource(string serverName) => new(ServerEntity(serverName), [], NoAttributes);

    /// <summary>The <c>Tool</c> resource for a tool of <paramref name="serverName"/> (also used to filter <c>tools/list</c>).</summary>
    public static ResourceDescriptor ToolResource(string serverName, string toolName) =>
        Child(McpEntityTypes.Tool, serverName, toolName, "name");

    /// <summary>The <c>McpResource</c> resource for a URI of <paramref name="serverName"/>.</summary>
    public static ResourceDescriptor McpResource(string serverName, string uri) =>
        Child(McpEntityTypes.McpResource, serverName, uri, "uri");

    /// <summary>The <c>Prompt</c> resource for a prompt of <paramref name="serverName"/>.</summary>
    public static ResourceDescriptor PromptResource(string serverName, string promptName) =>
        Child(McpEntityTypes.Prompt, serverName, promptName, "name");

    // The members a retry of a multi round-trip request adds (2026-07-28): read by the server, never decided on.
    private static readonly string[] RetryMembers = ["inputResponses", "requestState"];

    private static string[] With(bool modern, params string[] members) => modern ? [.. members, .. RetryMembers] : members;

    private static McpClassification ToolsCall(JsonElement? p, string serverName, bool modern)
    {
        const string method = McpMethods.ToolsCall;
        if (UnexpectedMember(p, With(modern, "name", "arguments")) is { } refused)
        {
            return Refuse(method, refused);
        }
        var name = StringMember(p, "name");
        if (!McpNames.IsValidName(name))
        {
            return Refuse(method, new JsonRpcError(ErrorCatalogue.McpToolName, "`params.name` must be 1-128 characters of letters, digits, `_`, `.`, `-`, `/`"));
        }
        if (Member(p, "arguments") is { } args && args.ValueKind != JsonValueKind.Object)
        {
            return Refuse(method, new JsonRpcError(ErrorCatalogue.McpBadArguments, "`params.arguments` must be an object"));
        }
        return new McpClassification
        {
            Kind = McpCallKind.Decide,
            Method = method,
            Action = McpActions.ToolsCall,
            Resource = ToolResource(serverName, name!),
            Arguments = Member(p, "arguments"),
            ToolName = name,
        };
    }

    private static McpClassification OnResource(string method, string action, JsonElement? p, string serverName, bool modern = false)
    {
        if (UnexpectedMember(p, With(modern && method == McpMethods.ResourcesRead, "uri")) is { } refused)
        {
            return Refuse(method, refused);
        }
        var uri = StringMember(p, "uri");
        if (!McpNames.IsValidUri(uri))
        {
            return Refuse(method, new JsonRpcError(ErrorCatalogue.McpResourceUri, "`params.uri` must be 1-2048 printable ascii characters without spaces"));
        }
        return new McpClassification { Kind = McpCallKind.Decide, Method = method, Action = action, Resource = McpResource(serverName, uri!) };
    }

    private static McpClassification PromptsGet(JsonElement? p, string serverName, bool modern)
    {
        const string method = McpMethods.PromptsGet;
        if (UnexpectedMember(p, With(modern, "name", "arguments")) is { } refused)
        {
            return Refuse(method, refused);
        }
        var name = StringMember(p, "name");
        if (!McpNames.IsValidName(name))
        {
            return Refuse(method, new JsonRpcError(ErrorCatalogue.McpPromptName, "`params.name` must be 1-128 characters of letters, digits, `_`, `.`, `-`, `/`"));
        }
        if (Member(p, "arguments") is { } args && args.ValueKind != JsonValueKind.Object)
        {
            return Refuse(method, new JsonRpcError(ErrorCatalogue.McpBadArguments, "`params.arguments` must be an object"));
        }
        return new McpClassification
        {
            Kind = McpCallKind.Decide,
            Method = method,
            Action = McpActions.PromptsGet,
            Resource = PromptResource(serverName, name!),
            Arguments = Member(p, "arguments"),
        };
    }

    // completion/complete names a prompt or a resource template in params.ref; the decision is on that entity.
    private static McpClassification CompletionComplete(JsonElement? p, string serverName)
    {
        const string method = McpMethods.CompletionComplete;
        if (UnexpectedMember(p, "ref", "argument", "context") is { } refused)
        {
            return Refuse(method, refused);
        }
        var reference = Member(p, "ref");
        var type = StringMember(reference, "type");
        if (type == "ref/prompt" && StringMember(reference, "name") is var name && McpNames.IsValidName(name))
        {
            return new McpClassification { Kind = McpCallKind.Decide, Method = method, Action = McpActions.CompletionComplete, Resource = PromptResource(serverName, name!) };
        }
        if (type == "ref/resource" && StringMember(reference, "uri") is var uri && McpNames.IsValidUri(uri))
        {
            return new McpClassification { Kind = McpCallKind.Decide, Method = method, Action = McpActions.CompletionComplete, Resource = McpResource(serverName, uri!) };
        }
        return Refuse(method, new JsonRpcError(ErrorCatalogue.McpBadParams, "`params.ref` must be {\"type\": \"ref/prompt\", \"name\"} or {\"type\": \"ref/resource\", \"uri\"}"));
    }

    private static McpClassification OnServer(string method, string action, string serverName, McpListKind? filter) => new()
    {
        Kind = McpCallKind.Decide,
        Method = method,
        Action = action,
        Resource = ServerResource(serverName),
        FilterResult = filter,
    };

    private static ResourceDescriptor Child(string type, string serverName, string name, string attribute)
    {
        var attributes = new Dictionary<string, JsonElement>(StringComparer.Ordinal)
        {
            [attribute] = JsonSerializer.SerializeToElement(name),
            ["server"] = JsonSerializer.SerializeToElement(serverName),
        };
        return new ResourceDescriptor(new EntityRef(type, $"{serverName}/{name}"), [ServerEntity(serverName)], attributes);
    }

    // Members the upstream might read but Mandate would not decide on are refused (`_meta` is protocol metadata).
    private static JsonRpcError? UnexpectedMember(JsonElement? p, params string[] allowed)
    {
        if (p is not { ValueKind: JsonValueKind.Object } obj)
        {
            return null;
        }
        foreach (var member in obj.EnumerateObject())
        {
            if (member.Name != "_meta" && Array.IndexOf(allowed, member.Name) < 0)
            {
                return new JsonRpcError(ErrorCatalogue.McpBadParams, "`params` has a member that is not understood");
            }
        }
        return null;
    }

    private static JsonElement? Member(JsonElement? obj, string name) =>
        obj is { ValueKind: JsonValueKind.Object } o && o.TryGetProperty(name, out var value) ? value : null;

    private static string? StringMember(JsonElement? obj, string name) =>
        Member(obj, name) is { ValueKind: JsonValueKind.String } value ? value.GetString() : null;

    private static McpClassification Refuse(string? method, JsonRpcError error) =>
        new() { Kind = McpCallKind.Refused, Method = method, Error = error };
}
