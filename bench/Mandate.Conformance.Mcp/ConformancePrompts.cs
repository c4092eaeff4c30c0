using System.ComponentModel;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

/// <summary>The prompts the prompts-* scenarios get.</summary>
[McpServerPromptType]
public sealed class ConformancePrompts
{
    /// <summary>prompts-get-simple.</summary>
    [McpServerPrompt(Name = "test_simple_prompt"), Description("A simple prompt without arguments")]
    public static string Simple() => "This is a simple prompt for testing.";

    /// <summary>prompts-get-with-args (and completion-complete completes its arg1).</summary>
    [McpServerPrompt(Name = "test_prompt_with_arguments"), Description("A prompt with arguments")]
    public static string WithArguments([Description("First test argument")] string arg1, [Description("Second test argument")] string arg2) =>
        $"Prompt with arguments: arg1='{arg1}', arg2='{arg2}'";

    /// <summary>prompts-get-embedded-resource.</summary>
    [McpServerPrompt(Name = "test_prompt_with_embedded_resource"), Description("A prompt with an embedded resource")]
    public static IEnumerable<PromptMessage> WithEmbeddedResource([Description("URI of the resource to embed")] string resourceUri) =>
    [
        new PromptMessage { Role = Role.User, Content = new EmbeddedResourceBlock { Resource = new TextResourceContents { Uri = resourceUri, MimeType = "text/plain", Text = "Embedded resource content for testing." } } },
        new PromptMessage { Role = Role.User, Content = new TextContentBlock { Text = "Please process the embedded resource above." } },
    ];

    /// <summary>prompts-get-with-image.</summary>
    [McpServerPrompt(Name = "test_prompt_with_image"), Description("A prompt with an image")]
    public static IEnumerable<PromptMessage> WithImage() =>
    [
        new PromptMessage { Role = Role.User, Content = ImageContentBlock.FromBytes(ConformanceTools.Png, "image/png") },
        new PromptMessage { Role = Role.User, Content = new TextContentBlock { Text = "Please analyze the image above." } },
    ];
}
