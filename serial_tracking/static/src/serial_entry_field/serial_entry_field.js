/** @odoo-module **/
import { Component } from "@odoo/owl";
import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";
import { standardFieldProps } from "@web/views/fields/standard_field_props";

/**
 * The serials of an order line: the count against the ordered units, the serials chosen, and
 * the button that opens the serial popup. On a line not saved yet (or an order with unsaved
 * changes) the order is saved first, as Odoo does before running a button of a form.
 */
export class SerialEntryField extends Component {
    static template = "serial_tracking.SerialEntryField";
    static props = {
        ...standardFieldProps,
        actionName: { type: String },
        card: { type: Boolean, optional: true },
    };

    setup() {
        this.action = useService("action");
    }

    get label() {
        return this.props.record.data[this.props.name] || "";
    }

    get names() {
        return this.props.record.data.serial_names_label || "";
    }

    get canOpen() {
        return Boolean(this.props.record.data.serial_entry_open);
    }

    get title() {
        return this.names
            ? _t("Serial numbers: %(names)s", { names: this.names })
            : _t("Serial numbers");
    }

    /** The list of ``parent`` that holds ``record``, and its field name. */
    _listOf(parent, record) {
        for (const [name, value] of Object.entries(parent.data)) {
            if (value && Array.isArray(value.records) && value.records.includes(record)) {
                return name;
            }
        }
        return null;
    }

    /** Save the order if needed; returns the line (saved) or null when the save failed. */
    async _savedLine() {
        const record = this.props.record;
        const parent = record._parentRecord;
        if (!parent || (!record.isNew && !(await parent.isDirty()))) {
            return record;
        }
        const fieldName = this._listOf(parent, record);
        const before = fieldName ? parent.data[fieldName].records : [];
        const index = before.indexOf(record);
        const savedIds = new Set(before.map((line) => line.resId).filter(Boolean));
        const wasNew = record.isNew;
        if (!(await parent.save())) {
            return null;
        }
        if (!wasNew) {
            return parent.data[fieldName].records.find((line) => line.resId === record.resId);
        }
        const after = parent.data[fieldName].records;
        const created = after.filter((line) => line.resId && !savedIds.has(line.resId));
        return created.length === 1 ? created[0] : after[index] || null;
    }

    async onClick() {
        const record = this.props.record;
        const parent = record._parentRecord;
        const line = await this._savedLine();
        if (!line || !line.resId) {
            return;
        }
        await this.action.doActionButton({
            type: "object",
            name: this.props.actionName,
            resModel: line.resModel,
            resId: line.resId,
            resIds: [line.resId],
            context: line.context,
            onClose: async () => {
                await (parent || line).load();
            },
        });
    }
}

export const serialEntryField = {
    component: SerialEntryField,
    displayName: _t("Serial Numbers"),
    supportedTypes: ["char"],
    fieldDependencies: [
        { name: "serial_names_label", type: "char" },
        { name: "serial_entry_open", type: "boolean" },
    ],
    extractProps: ({ options }) => ({
        actionName: options.action || "action_open_serial_entry",
        card: Boolean(options.card),
    }),
};

registry.category("fields").add("serial_entry", serialEntryField);
