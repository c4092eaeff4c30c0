namespace Mandate.Demo;

/// <summary>What the printed approval needs to reach the running gateway's control plane with the CLI.</summary>
/// <param name="MandateCommand">How to run this same CLI, e.g. <c>dotnet /path/mandate.dll</c> (as printed for <c>audit tail</c>).</param>
/// <param name="Address">The control plane's base address (<c>--admin-url</c>).</param>
/// <param name="ApproverTokenFile">Absolute path of the approver's token file (<c>--token-file</c>).</param>
public sealed record DemoControlPlane(string MandateCommand, Uri Address, string ApproverTokenFile);
