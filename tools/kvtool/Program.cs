using TieredKv.Tools;

return KvTool.Run(args, Console.Out, Console.Error, interactiveProgress: !Console.IsErrorRedirected);
