// Embedding: the README's embedding example, built and run by the tests so that it stays true —
// the bundled catalog, a query with a parameter, and rows read by column name.

import BudgetQL
import BundledDatasets

let catalog = try Catalog.bundled()
var session = Session(catalog: catalog, parameters: ["min": .decimal(ExactDecimal(5000))])
let result = try session.query("projects | where amount >= $min | sort -amount | select dept, name, amount")
for row in result.namedRows {
    print(row["dept"]!, row["name"]!, row["amount"]!)
}
print(result.namedRows[0])
