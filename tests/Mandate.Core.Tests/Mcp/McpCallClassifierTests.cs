using System.Text;
using System.Text.Json;
using Mandate.Core.Decisions;
using Mandate.Core.Mcp;

namespace Mandate.Core.Tests.Mcp;

/// <summary>From a JSON-RPC message to action + resource (or a refusal), with hostile names and shapes.</summary>
public sealed class McpCallClassifierTests
{
    private const string Server = "files";

    private static JsonRpcMessage Message(string json)
    {
        var result = JsonRpcParser.Parse(Encoding.UTF8.GetBytes(json), JsonRpcLimits.Default, allowBatch: false);
        Assert.Null(result.Error);
        return Assert.Single(result.Messages);
    }

    private static McpClassification Classify(string json) => McpCallClassifier.Classify(Message(json), Server);

    private static McpClassification Call(string paramsJson) =>
        Classify($$"""{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{{paramsJson}}}""");

    private static void AssertRefused(McpClassification c, int code, string rule)
    {
        Assert.Equal(McpCallKind.Refused, c.Kind);
        Assert.Equal(rule, c.Error!.Rule.Code);
        Assert.Equal(code, c.Error.Code);
        Assert.Null(c.Action);
        Assert.Null(c.Resource);
    }

    [Fact]
    public void Classify_ToolsCall_IsDecideOnTheToolUnderItsServer()
    {
        var c = Call("""{"name":"read_file","arguments":{"path":"/tmp/a"},"_meta":{"progressToken":1}}""");

        Assert.Equal(McpCallKind.Decide, c.Kind);
        Assert.Equal("tools/call", c.Method);
        Assert.Equal("mcp.tools.call", c.Action);
        Assert.Equal(new EntityRef("Mandate::Action", "mcp.tools.call"), c.ActionEntity);
        Assert.Equal(new EntityRef("Mandate::Tool", "files/read_file"), c.Resource!.Entity);
        Assert.Equal([new EntityRef("Mandate::McpServer", "files")], c.Resource.Parents);
        Assert.Equal("read_file", c.Resource.Attributes["name"].GetString());
        Assert.Equal("read_file", c.ToolName);
        Assert.Equal("/tmp/a", c.Arguments!.Value.GetProperty("path").GetString());
        Assert.Null(c.FilterResult);
    }

    [Fact]
    public void Classify_ToolsCallWithoutArguments_HasNoArguments()
    {
        var c = Call("""{"name":"list"}""");

        Assert.Equal(McpCallKind.Decide, c.Kind);
        Assert.Null(c.Arguments);
        Assert.Equal(JsonValueKind.Object, McpArguments.ToCedarJson(c.Arguments).ValueKind);
    }

    [Theory]
    [InlineData("Tools/call")]
    [InlineData("TOOLS/CALL")]
    [InlineData("tools/call ")]
    [InlineData(" tools/call")]
    [InlineData("tools/call\\u200b")]
    [InlineData("tools\\u200b/call")]
    [InlineData("tools/call\\u0000")]
    [InlineData("tools/cａll")]
    [InlineData("tools.call")]
    [InlineData("sampling/createMessage")]
    [InlineData("elicitation/create")]
    [InlineData("roots/list")]
    [InlineData("tasks/get")]
    [InlineData("")]
    public void Classify_UnknownOrDisguisedMethod_RefusedAsUnknown(string method) =>
        AssertRefused(Classify($$$"""{"jsonrpc":"2.0","id":1,"method":"{{{method}}}","params":{"name":"rm"}}"""), JsonRpcErrorCodes.MethodNotFound, "mcp.unknown_method");

    [Fact]
    public void Classify_EscapedMethod_IsClassifiedByItsDecodedName()
    {
        // `\u` escapes are not a way around the decision: they decode to the method the upstream runs, and that is decided.
        var c = Classify("""{"jsonrpc":"2.0","id":1,"method":"tools\/c\u0061ll","params":{"n\u0061me":"\u0072m"}}""");

        Assert.Equal(McpCallKind.Decide, c.Kind);
        Assert.Equal(new EntityRef("Mandate::Tool", "files/rm"), c.Resource!.Entity);
    }

    [Theory]
    [InlineData("\"\"")]
    [InlineData("\"Echo \"")]
    [InlineData("\" echo\"")]
    [InlineData("\"echo\\u200b\"")]
    [InlineData("\"ec\\u200dho\"")]
    [InlineData("\"echo\\u0000\"")]
    [InlineData("\"echo\\n\"")]
    [InlineData("\"ｅcho\"")]
    [InlineData("\"еcho\"")]
    [InlineData("\"echo;rm\"")]
    [InlineData("\"a b\"")]
    [InlineData("\"x\\\"y\"")]
    [InlineData("7")]
    [InlineData("null")]
    [InlineData("[\"echo\"]")]
    [InlineData("{\"name\":\"echo\"}")]
    public void Classify_BadToolName_Refused(string name) =>
        AssertRefused(Call($$"""{"name":{{name}}}"""), JsonRpcErrorCodes.InvalidParams, "mcp.tool_name");

    [Fact]
    public void Classify_ToolNameLengthLimit_Is128()
    {
        Assert.Equal(McpCallKind.Decide, Call($$"""{"name":"{{new string('a', 128)}}"}""").Kind);
        AssertRefused(Call($$"""{"name":"{{new string('a', 129)}}"}"""), JsonRpcErrorCodes.InvalidParams, "mcp.tool_name");
    }

    [Theory]
    [InlineData("a.b-c_d/E9")]
    [InlineData("github/create_issue")]
    public void Classify_ToolNameOfAllowedCharacters_IsDecided(string name) =>
        Assert.Equal($"files/{name}", Call($$"""{"name":"{{name}}"}""").Resource!.Entity.Id);

    [Fact]
    public void Classify_ToolsCallWithoutParamsOrName_Refused()
    {
        AssertRefused(Classify("""{"jsonrpc":"2.0","id":1,"method":"tools/call"}"""), JsonRpcErrorCodes.InvalidParams, "mcp.tool_name");
        AssertRefused(Call("""{"arguments":{}}"""), JsonRpcErrorCodes.InvalidParams, "mcp.tool_name");
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("\"x=1\"")]
    [InlineData("null")]
    [InlineData("1")]
    public void Classify_ArgumentsNotAnObject_Refused(string args) =>
        AssertRefused(Call($$"""{"name":"echo","arguments":{{args}}}"""), JsonRpcErrorCodes.InvalidParams, "mcp.bad_arguments");

    [Theory]
    [InlineData("""{"name":"echo","tool":"rm"}""")]
    [InlineData("""{"name":"echo","toolName":"rm"}""")]
    [InlineData("""{"name":"echo","arguments":{},"argumentz":{"path":"/etc"}}""")]
    public void Classify_ToolsCallWithMembersMandateDoesNotDecideOn_Refused(string p) =>
        AssertRefused(Call(p), JsonRpcErrorCodes.InvalidParams, "mcp.bad_params");

    [Theory]
    [InlineData("tools/call")]
    [InlineData("tools/list")]
    [InlineData("resources/read")]
    [InlineData("prompts/get")]
    [InlineData("initialize")]
    [InlineData("ping")]
    [InlineData("logging/setLevel")]
    public void Classify_RequestMethodSentAsNotification_Refused(string method) =>
        AssertRefused(Classify($$$"""{"jsonrpc":"2.0","method":"{{{method}}}","params":{"name":"rm"}}"""), JsonRpcErrorCodes.InvalidRequest, "mcp.notification_not_allowed");

    [Theory]
    [InlineData("notifications/initialized")]
    [InlineData("notifications/cancelled")]
    [InlineData("notifications/progress")]
    [InlineData("notifications/roots/list_changed")]
    public void Classify_ClientNotification_IsPlumbing(string method)
    {
        var c = Classify($$"""{"jsonrpc":"2.0","method":"{{method}}"}""");

        Assert.Equal(McpCallKind.Plumbing, c.Kind);
        Assert.Equal(method, c.Method);
    }

    [Fact]
    public void Classify_NotificationMethodWithId_Refused() =>
        AssertRefused(Classify("""{"jsonrpc":"2.0","id":4,"method":"notifications/initialized"}"""), JsonRpcErrorCodes.InvalidRequest, "mcp.request_not_allowed");

    [Theory]
    [InlineData("notifications/message")]
    [InlineData("notifications/tools/list_changed")]
    [InlineData("notifications/resources/updated")]
    [InlineData("notifications/Initialized")]
    [InlineData("notifications/")]
    public void Classify_NotificationAClientDoesNotSend_RefusedAsUnknown(string method) =>
        AssertRefused(Classify($$"""{"jsonrpc":"2.0","method":"{{method}}"}"""), JsonRpcErrorCodes.MethodNotFound, "mcp.unknown_method");

    [Theory]
    [InlineData("initialize")]
    [InlineData("ping")]
    public void Classify_Housekeeping_IsPlumbing(string method) =>
        Assert.Equal(McpCallKind.Plumbing, Classify($$$"""{"jsonrpc":"2.0","id":1,"method":"{{{method}}}","params":{}}""").Kind);

    [Theory]
    [InlineData("tools/list", "mcp.tools.list", McpListKind.Tools)]
    [InlineData("resources/list", "mcp.resources.list", McpListKind.Resources)]
    [InlineData("resources/templates/list", "mcp.resources.templates.list", McpListKind.ResourceTemplates)]
    [InlineData("prompts/list", "mcp.prompts.list", McpListKind.Prompts)]
    public void Classify_List_IsDecideOnServerWithFilter(string method, string action, McpListKind kind)
    {
        var c = Classify($$$"""{"jsonrpc":"2.0","id":1,"method":"{{{method}}}","params":{"cursor":"abc"}}""");

        Assert.Equal(McpCallKind.Decide, c.Kind);
        Assert.Equal(action, c.Action);
        Assert.Equal(new EntityRef("Mandate::McpServer", "files"), c.Resource!.Entity);
        Assert.Empty(c.Resource.Parents);
        Assert.Equal(kind, c.FilterResult);
    }

    [Fact]
    public void Classify_ResourcesRead_IsDecideOnTheResource()
    {
        var c = Classify("""{"jsonrpc":"2.0","id":1,"method":"resources/read","params":{"uri":"file:///srv/report.txt"}}""");

        Assert.Equal(McpCallKind.Decide, c.Kind);
        Assert.Equal("mcp.resources.read", c.Action);
        Assert.Equal(new EntityRef("Mandate::McpResource", "files/file:///srv/report.txt"), c.Resource!.Entity);
        Assert.Equal("file:///srv/report.txt", c.Resource.Attributes["uri"].GetString());
        Assert.Equal([new EntityRef("Mandate::McpServer", "files")], c.Resource.Parents);
    }

    [Theory]
    [InlineData("\"\"")]
    [InlineData("\"file:///a b\"")]
    [InlineData("\"file:///a\\u200b\"")]
    [InlineData("\"file:///ä\"")]
    [InlineData("\"file:///a\\n\"")]
    [InlineData("5")]
    public void Classify_ResourcesReadBadUri_Refused(string uri) =>
        AssertRefused(Classify($$$"""{"jsonrpc":"2.0","id":1,"method":"resources/read","params":{"uri":{{{uri}}}}}"""), JsonRpcErrorCodes.InvalidParams, "mcp.resource_uri");

    [Fact]
    public void Classify_ResourcesSubscribe_IsDecided_UnsubscribeIsPlumbing()
    {
        var subscribe = Classify("""{"jsonrpc":"2.0","id":1,"method":"resources/subscribe","params":{"uri":"db://t"}}""");
        var unsubscribe = Classify("""{"jsonrpc":"2.0","id":2,"method":"resources/unsubscribe","params":{"uri":"db://t"}}""");

        Assert.Equal("mcp.resources.subscribe", subscribe.Action);
        Assert.Equal("files/db://t", subscribe.Resource!.Entity.Id);
        Assert.Equal(McpCallKind.Plumbing, unsubscribe.Kind);
    }

    [Fact]
    public void Classify_PromptsGet_IsDecideOnThePrompt()
    {
        var c = Classify("""{"jsonrpc":"2.0","id":1,"method":"prompts/get","params":{"name":"review","arguments":{"code":"x"}}}""");

        Assert.Equal("mcp.prompts.get", c.Action);
        Assert.Equal(new EntityRef("Mandate::Prompt", "files/review"), c.Resource!.Entity);
        Assert.Equal("x", c.Arguments!.Value.GetProperty("code").GetString());
    }

    [Fact]
    public void Classify_PromptsGetBadName_Refused() =>
        AssertRefused(Classify("""{"jsonrpc":"2.0","id":1,"method":"prompts/get","params":{"name":"review "}}"""), JsonRpcErrorCodes.InvalidParams, "mcp.prompt_name");

    [Fact]
    public void Classify_CompletionComplete_IsDecidedOnTheReferencedEntity()
    {
        var prompt = Classify("""{"jsonrpc":"2.0","id":1,"method":"completion/complete","params":{"ref":{"type":"ref/prompt","name":"review"},"argument":{"name":"a","value":"b"}}}""");
        var resource = Classify("""{"jsonrpc":"2.0","id":1,"method":"completion/complete","params":{"ref":{"type":"ref/resource","uri":"file:///{path}"},"argument":{"name":"path","value":"x"}}}""");
        var bad = Classify("""{"jsonrpc":"2.0","id":1,"method":"completion/complete","params":{"ref":{"type":"ref/tool","name":"rm"}}}""");

        Assert.Equal(new EntityRef("Mandate::Prompt", "files/review"), prompt.Resource!.Entity);
        Assert.Equal("mcp.completion.complete", prompt.Action);
        Assert.Equal(new EntityRef("Mandate::McpResource", "files/file:///{path}"), resource.Resource!.Entity);
        AssertRefused(bad, JsonRpcErrorCodes.InvalidParams, "mcp.bad_params");
    }

    [Fact]
    public void Classify_LoggingSetLevel_IsDecidedOnTheServer()
    {
        var c = Classify("""{"jsonrpc":"2.0","id":1,"method":"logging/setLevel","params":{"level":"debug"}}""");

        Assert.Equal("mcp.logging.set_level", c.Action);
        Assert.Equal("Mandate::McpServer", c.Resource!.Entity.Type);
        Assert.Null(c.FilterResult);
    }

    [Fact]
    public void Classify_ClientResponse_IsClientResponse() =>
        Assert.Equal(McpCallKind.ClientResponse, Classify("""{"jsonrpc":"2.0","id":"srv-1","result":{"role":"assistant"}}""").Kind);

    [Fact]
    public void Classify_InvalidMessage_RefusedWithItsOwnError() =>
        AssertRefused(Classify("""{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"rm"},"x":1}"""), JsonRpcErrorCodes.InvalidRequest, "jsonrpc.unknown_member");

    [Fact]
    public void Classify_ToolCallThroughCedar_ArgumentsAndServerParentDecide()
    {
        var compilation = new CedarPolicyCompiler().Compile(new PolicyInputs("", [new PolicySource("p.cedar", """
            permit(principal, action == Mandate::Action::"mcp.tools.call", resource in Mandate::McpServer::"files")
            when { resource.name == "read_file" && context.args.path like "/tmp/*" };
            """)], null, null, []));
        Assert.True(compilation.DecisionPoint is not null, string.Join("; ", compilation.Problems.Select(p => p.ToString())));
        bool Decide(string paramsJson)
        {
            var c = Call(paramsJson);
            Assert.Equal(McpCallKind.Decide, c.Kind);
            var context = new DecisionContext(new RequestFacts("POST", "/mcp", "127.0.0.1", "localhost"), new TokenFacts([], "oidc", 60), new DelegationFacts("", [], 0), DateTimeOffset.UnixEpoch)
            {
                Args = McpArguments.ToCedarJson(c.Arguments),
            };
            var request = new DecisionRequest("d", new CallerIdentity("agent", "oidc", "https://issuer", null, [], [], null, null), c.ActionEntity!, c.Resource!, context);
            return compilation.DecisionPoint!.Decide(request).IsAllowed;
        }

        Assert.True(Decide("""{"name":"read_file","arguments":{"path":"/tmp/x"}}"""));
        Assert.False(Decide("""{"name":"read_file","arguments":{"path":"/etc/passwd"}}"""));
        Assert.False(Decide("""{"name":"read_file"}"""));
        Assert.False(Decide("""{"name":"write_file","arguments":{"path":"/tmp/x"}}"""));
        Assert.False(Decide("""{"name":"read_file","arguments":{"path":{"__entity":{"type":"x","id":"/tmp/x"}}}}"""));
    }

    [Theory]
    [InlineData("")]
    [InlineData("a/b")]
    [InlineData("files ")]
    [InlineData("fi\u200bles")]
    public void Classify_InvalidServerName_RefusedAsInternalError(string serverName)
    {
        var c = McpCallClassifier.Classify(Message("""{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"b/c"}}"""), serverName);

        AssertRefused(c, JsonRpcErrorCodes.InternalError, "mcp.server_name");
    }

    [Fact]
    public void CheckBatch_InitializeInABatch_Refused()
    {
        var withInit = JsonRpcParser.Parse("""[{"jsonrpc":"2.0","id":1,"method":"initialize","params":{}},{"jsonrpc":"2.0","id":2,"method":"ping"}]"""u8, JsonRpcLimits.Default, allowBatch: true);
        var without = JsonRpcParser.Parse("""[{"jsonrpc":"2.0","id":1,"method":"ping"},{"jsonrpc":"2.0","method":"notifications/initialized"}]"""u8, JsonRpcLimits.Default, allowBatch: true);
        var single = JsonRpcParser.Parse("""{"jsonrpc":"2.0","id":1,"method":"initialize","params":{}}"""u8, JsonRpcLimits.Default, allowBatch: true);

        Assert.Equal("mcp.initialize_in_batch", McpCallClassifier.CheckBatch(withInit)?.Rule.Code);
        Assert.Null(McpCallClassifier.CheckBatch(without));
        Assert.Null(McpCallClassifier.CheckBatch(single));
    }
}
