/** @odoo-module **/
import { onMounted } from "@odoo/owl";
import { _t } from "@web/core/l10n/translation";
import { patch } from "@web/core/utils/patch";
import { GenerateDialog } from "@stock/widgets/generate_serial";

/**
 * Odoo's Generate Serials dialog (detailed operations of a transfer) proposes the next serial
 * of the product's numbering rule as First SN; with a random rule it says the rule draws them.
 * Generated from that proposal, or from an empty First SN, the serials come from the rule
 * (stock.move.action_generate_lot_line_vals), whose counter then moves on.
 */
patch(GenerateDialog.prototype, {
    setup() {
        super.setup(...arguments);
        onMounted(async () => {
            const move = this.props.move;
            const input = this.nextSerial?.el;
            if (this.props.mode !== "generate" || move.data.has_tracking !== "serial" || !input) {
                return;
            }
            const productId = move.data.product_id?.[0];
            if (!productId || input.value) {
                return;
            }
            const proposal = await this.orm.call("product.product", "serial_generate_proposal", [
                [productId],
            ]);
            if (proposal) {
                input.value = proposal;
            } else {
                input.placeholder = _t("Empty: drawn by the product's numbering rule");
            }
        });
    },
});
