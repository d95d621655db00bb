// BundledDatasets: locates the department budgets that ship with BudgetQL as a package resource.
import Foundation

/// The datasets bundled with BudgetQL (the repository's `Datasets/` folder, copied next to the binary).
public enum BundledDatasets {
    /// The directory holding the bundled datasets, or `nil` if the resource bundle is missing.
    public static var directory: URL? {
        guard let url = Bundle.module.url(forResource: "Datasets", withExtension: nil) else { return nil }
        return url
    }
}
