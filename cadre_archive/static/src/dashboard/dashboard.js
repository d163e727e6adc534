import { Component, onWillStart, useState } from "@odoo/owl";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";

/**
 * The archive manager's dashboard (工作台): the figures of the work in hand,
 * grouped by section. The server computes each figure as the user and opens
 * the list it counts (``cadre.archive.dashboard``), so that a figure and its
 * list are one query.
 */
export class CadreArchiveDashboard extends Component {
    static template = "cadre_archive.Dashboard";
    static props = ["*"];

    setup() {
        this.orm = useService("orm");
        this.actionService = useService("action");
        this.state = useState({ sections: [] });
        onWillStart(() => this.load());
    }

    async load() {
        const tiles = await this.orm.call("cadre.archive.dashboard", "get_dashboard_tiles", []);
        const sections = [];
        for (const tile of tiles) {
            let section = sections.at(-1);
            if (!section || section.name !== tile.section) {
                section = { name: tile.section, tiles: [] };
                sections.push(section);
            }
            section.tiles.push(tile);
        }
        this.state.sections = sections;
    }

    share(tile) {
        return tile.of ? Math.round((100 * tile.count) / tile.of) : 0;
    }

    async openTile(tile) {
        const action = await this.orm.call("cadre.archive.dashboard", "action_open_tile", [
            tile.key,
        ]);
        await this.actionService.doAction(action);
    }
}

registry.category("actions").add("cadre_archive.dashboard", CadreArchiveDashboard);
