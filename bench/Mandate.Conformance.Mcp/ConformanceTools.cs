using System.ComponentModel;
using System.Text.Json;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

/// <summary>
/// The tools the conformance suite's server scenarios call, by the names it expects (taken from the
/// installed package): each returns the content kind its scenario checks for.
/// </summary>
[McpServerToolType]
public sealed class ConformanceTools
{
    /// <summary>A 1×1 PNG: the smallest real image.</summary>
    internal static readonly byte[] Png = Convert.FromBase64String("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=");

    /// <summary>A WAV header with no samples: a real, empty audio file.</summary>
    private static readonly byte[] Wav = Convert.FromBase64String("UklGRiQAAABXQVZFZm10IBAAAAABAAEAQB8AAEAfAAABAAgAZGF0YQAAAAA=");

    /// <summary>tools-call-simple-text.</summary>
    [McpServerTool(Name = "test_simple_text"), Description("Conformance tool test_simple_text.")]
    public static string SimpleText() => "This is a simple text response for testing.";

    /// <summary>tools-call-image.</summary>
    [McpServerTool(Name = "test_image_content"), Description("Conformance tool test_image_content.")]
    public static ImageContentBlock Image() => ImageContentBlock.FromBytes(Png, "image/png");

    /// <summary>tools-call-audio.</summary>
    [McpServerTool(Name = "test_audio_content"), Description("Conformance tool test_audio_content.")]
    public static AudioContentBlock Audio() => AudioContentBlock.FromBytes(Wav, "audio/wav");

    /// <summary>tools-call-embedded-resource.</summary>
    [McpServerTool(Name = "test_embedded_resource"), Description("Conformance tool test_embedded_resource.")]
    public static EmbeddedResourceBlock Embedded() => new()
    {
        Resource = new TextResourceContents { Uri = "test://embedded-resource", MimeType = "text/plain", Text = "This is an embedded resource content." },
    };

    /// <summary>tools-call-mixed-content.</summary>
    [McpServerTool(Name = "test_multiple_content_types"), Description("Conformance tool test_multiple_content_types.")]
    public static IEnumerable<ContentBlock> Mixed() => [new TextContentBlock { Text = "Multiple content types test:" }, Image(), Embedded()];

    /// <summary>tools-call-with-logging: three log notifications on the call's stream.</summary>
    [McpServerTool(Name = "test_tool_with_logging"), Description("Conformance tool test_tool_with_logging.")]
    public static async Task<string> Logging(McpServer server, CancellationToken cancellationToken)
    {
        foreach (var step in new[] { "Tool execution started", "Tool processing data", "Tool execution completed" })
        {
            await server.SendNotificationAsync(
                NotificationMethods.LoggingMessageNotification,
                new LoggingMessageNotificationParams { Level = LoggingLevel.Info, Logger = "conformance", Data = JsonSerializer.SerializeToElement(step) },
                cancellationToken: cancellationToken);
        }

        return "Tool with logging executed successfully";
    }

    /// <summary>tools-call-with-progress: three increasing progress notifications.</summary>
    [McpServerTool(Name = "test_tool_with_progress"), Description("Conformance tool test_tool_with_progress.")]
    public static string Progress(IProgress<ProgressNotificationValue> progress)
    {
        for (var i = 0; i <= 2; i++)
        {
            progress.Report(new ProgressNotificationValue { Progress = i * 50, Total = 100, Message = $"step {i}" });
        }

        return "Tool with progress executed successfully";
    }

    /// <summary>tools-call-error: an error result (isError) with a message.</summary>
    [McpServerTool(Name = "test_error_handling"), Description("Conformance tool test_error_handling.")]
    public static CallToolResult Error() => new()
    {
        IsError = true,
        Content = [new TextContentBlock { Text = "This tool intentionally returns an error for testing" }],
    };

    /// <summary>tools-call-sampling: asks the client's LLM (a server-to-client request on the call's stream).</summary>
    [McpServerTool(Name = "test_sampling"), Description("Conformance tool test_sampling.")]
    public static async Task<string> Sampling(McpServer server, string prompt, CancellationToken cancellationToken)
    {
        var result = await server.SampleAsync(
            new CreateMessageRequestParams
            {
                Messages = [new SamplingMessage { Role = Role.User, Content = [new TextContentBlock { Text = prompt }] }],
                MaxTokens = 100,
            },
            cancellationToken);
        return "LLM response: " + string.Join(" ", result.Content.OfType<TextContentBlock>().Select(c => c.Text));
    }

    /// <summary>tools-call-elicitation: asks the user (a server-to-client request on the call's stream).</summary>
    [McpServerTool(Name = "test_elicitation"), Description("Conformance tool test_elicitation.")]
    public static async Task<string> Elicitation(McpServer server, string message, CancellationToken cancellationToken)
    {
        var result = await server.ElicitAsync(
            new ElicitRequestParams
            {
                Message = message,
                RequestedSchema = new ElicitRequestParams.RequestSchema
                {
                    Properties = new Dictionary<string, ElicitRequestParams.PrimitiveSchemaDefinition>
                    {
                        ["username"] = new ElicitRequestParams.StringSchema { Description = "User's response" },
                        ["email"] = new ElicitRequestParams.StringSchema { Description = "User's email address" },
                    },
                    Required = ["username", "email"],
                },
            },
            cancellationToken);
        return $"User response: action={result.Action}";
    }
}
