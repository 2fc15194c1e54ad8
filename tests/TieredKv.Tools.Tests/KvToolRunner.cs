namespace TieredKv.Tools.Tests;

/// <summary>Runs kvtool as the executable would, capturing its output and error streams.</summary>
public static class KvToolRunner
{
    public static (int Exit, string Out, string Err) Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int exit = KvTool.Run(args, output, error);
        return (exit, output.ToString(), error.ToString());
    }
}
