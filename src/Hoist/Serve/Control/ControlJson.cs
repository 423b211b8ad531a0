namespace Hoist.Serve.Control;

using System.Text.Json.Serialization;
using Hoist.Cli;
using Hoist.Serve.Workers;

/// <summary>
/// The control socket's JSON, generated at build time (no reflection, so it works trimmed and compiled ahead of time):
/// every answer hoist serve gives and every one its clients read, in snake_case.
/// </summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, WriteIndented = true)]
[JsonSerializable(typeof(ServeStatus))]
[JsonSerializable(typeof(ReloadOutcome))]
[JsonSerializable(typeof(HoldOutcome))]
[JsonSerializable(typeof(ServeVerb.ReloadAnswer))]
internal sealed partial class ControlJson : JsonSerializerContext;
