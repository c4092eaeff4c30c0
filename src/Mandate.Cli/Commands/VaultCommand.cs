using System.CommandLine;
using Mandate.Core.Vault;
using Mandate.Storage.Sqlite.Vault;

namespace Mandate.Cli.Commands;

/// <summary><c>mandate vault set|list|delete</c>: manage static upstream keys. Values go in and never come out here.</summary>
internal static class VaultCommand
{
    /// <summary>Builds the <c>vault</c> command and its subcommands.</summary>
    public static Command Create()
    {
        var command = new Command("vault", "Store static upstream credentials, encrypted with the master key ($MANDATE_VAULT_KEY or --key-file).");
        command.Subcommands.Add(Set());
        command.Subcommands.Add(List());
        command.Subcommands.Add(Delete());
        return command;
    }

    private static Option<string?> KeyFileOption() => new("--key-file") { Description = "File with the base64 32-byte master key (default: $MANDATE_VAULT_KEY)." };

    private static Argument<string> NameArgument() => new("name") { Description = "Secret name: letters, digits, '.', '_', '-', '/'." };

    private static SqliteSecretVault Open(ParseResult parse, Option<string> dataDir, Option<string?> keyFile) =>
        new(new SqliteVaultOptions { DataDirectory = parse.GetValue(dataDir)!, KeyFile = parse.GetValue(keyFile) });

    private static Command Set()
    {
        var dataDir = AuditCommand.DataDirOption();
        var keyFile = KeyFileOption();
        var name = NameArgument();
        var value = new Option<string?>("--value") { Description = "The secret (visible in shell history; prefer --from-stdin)." };
        var fromStdin = new Option<bool>("--from-stdin") { Description = "Read the secret from standard input (one trailing newline is dropped)." };
        var command = new Command("set", "Store or replace a secret. The value is never printed.") { name, value, fromStdin, dataDir, keyFile };
        command.Validators.Add(result =>
        {
            var hasValue = result.GetValue(value) is not null;
            if (hasValue == result.GetValue(fromStdin))
            {
                result.AddError("give exactly one of --value and --from-stdin");
            }
        });
        command.SetAction(async (parse, ct) =>
        {
            var secret = parse.GetValue(value);
            if (secret is null)
            {
                secret = await Console.In.ReadToEndAsync(ct);
                secret = secret.EndsWith("\r\n", StringComparison.Ordinal) ? secret[..^2] : secret.EndsWith('\n') ? secret[..^1] : secret;
            }
            var secretName = parse.GetValue(name)!;
            var result = await Open(parse, dataDir, keyFile).SetAsync(secretName, secret, ct);
            return await Report(parse, result, created => created ? $"stored `{secretName}`" : $"replaced `{secretName}`");
        });
        return command;
    }

    private static Command List()
    {
        var dataDir = AuditCommand.DataDirOption();
        var keyFile = KeyFileOption();
        var command = new Command("list", "Print secret names, one per line.") { dataDir, keyFile };
        command.SetAction(async (parse, ct) =>
        {
            var result = await Open(parse, dataDir, keyFile).ListAsync(ct);
            return await Report(parse, result, names => string.Join(Environment.NewLine, names), skipEmpty: true);
        });
        return command;
    }

    private static Command Delete()
    {
        var dataDir = AuditCommand.DataDirOption();
        var keyFile = KeyFileOption();
        var name = NameArgument();
        var command = new Command("delete", "Remove a secret.") { name, dataDir, keyFile };
        command.SetAction(async (parse, ct) =>
        {
            var secretName = parse.GetValue(name)!;
            var result = await Open(parse, dataDir, keyFile).DeleteAsync(secretName, ct);
            if (result.Ok && !result.Value)
            {
                await parse.InvocationConfiguration.Error.WriteLineAsync($"error: {VaultErrorCodes.NotFound}: no secret named `{secretName}`");
                return 1;
            }
            return await Report(parse, result, _ => $"deleted `{secretName}`");
        });
        return command;
    }

    private static async Task<int> Report<T>(ParseResult parse, VaultResult<T> result, Func<T, string> describe, bool skipEmpty = false)
    {
        if (result.Error is { } error)
        {
            await parse.InvocationConfiguration.Error.WriteLineAsync($"error: {error.Code}: {error.Message}");
            return 1;
        }
        var text = describe(result.Value!);
        if (!(skipEmpty && text.Length == 0))
        {
            await parse.InvocationConfiguration.Output.WriteLineAsync(text);
        }
        return 0;
    }
}
