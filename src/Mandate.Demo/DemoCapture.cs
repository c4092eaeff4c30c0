namespace Mandate.Demo;

/// <summary>
/// A printed call whose answer feeds a later line: the string member <paramref name="Member"/> of its JSON body is
/// kept in the shell variable <paramref name="Variable"/> (e.g. <c>approvalId</c> in <c>APPROVAL</c>).
/// </summary>
/// <param name="Variable">The shell variable, upper case.</param>
/// <param name="Member">The top-level JSON member whose string value is kept.</param>
public sealed record DemoCapture(string Variable, string Member);
