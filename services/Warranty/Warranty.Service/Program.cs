using Warranty.Service;

WarrantyService.Create(args).Run();
