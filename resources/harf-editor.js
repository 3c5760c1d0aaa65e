/**
 * The dialog parts the Harf and AssemblyAI flow nodes have in common: the output options (output
 * select, subtitles select, "send uncertain words to a second output"), the polling fields, the
 * number settings' defaults and limits, labels, and the logic that shows the right rows and sets the
 * node's outputs. Each node registers its type with an object literal naming its defaults.
 *
 * Each node's .html loads this file (Node-RED serves the package's resources/ folder at
 * resources/n8n-nodes-harf/) and marks where the shared rows go in its template:
 *   <div data-harf-rows="polling"></div>
 *   <div data-harf-rows="output" data-harf-modes="file segment text" data-harf-review-split="true"></div>
 *   <div data-harf-rows="stream"></div> (a stream's key, end flag and idle limit)
 * (data-harf-normalize="true" adds the "normalized Persian text" rows to the output rows.)
 * HarfEditor.completeTemplate(type) puts the rows in before the dialog is ever built, so the dialog
 * holds the same elements, ids and i18n keys as if they were written out in every template.
 *
 * Defaults and limits come from window.HarfSettings (resources/harf-settings.js, written by the build
 * from lib/jobs/settings.ts), the same ones the runtime applies; each .html loads it first.
 */
(function (global) {
  'use strict';

  // A number typed into the dialog, within [min, max]; `above` makes min itself invalid.
  function numberWithin(min, max, above, integer) {
    return function (v) {
      var n = Number(v);
      return v !== '' && !isNaN(n) && (!integer || n % 1 === 0) && (above ? n > min : n >= min) && n <= max;
    };
  }

  // One of lib's settings, or the lists it offers (outputModes, subtitleFormats, digitStyles).
  function fromLib(path) {
    var found = path.reduce(function (at, key) {
      return at && at[key];
    }, global.HarfSettings);
    if (!found) {
      throw new Error('HarfSettings has no ' + path.join('.') + ': load resources/n8n-nodes-harf/harf-settings.js before harf-editor.js');
    }
    return found;
  }

  /** A node default for one of lib's number settings, e.g. setting("live", "idleTimeout"). */
  function setting(group, name) {
    var found = fromLib(['settings', group, name]);
    return { value: found.default, required: true, validate: numberWithin(found.min, found.max, found.above, found.integer) };
  }

  /** The same for a setting that may be left empty, which means its default. */
  function optionalSetting(group, name) {
    var required = setting(group, name);
    return {
      value: required.value,
      validate: function (v) {
        return v === '' || v === undefined || required.validate(v);
      },
    };
  }

  // The palette and node labels and the output ports' labels, as functions the node definition
  // takes as they are: registerType gets an object literal, which the flow library's checker reads.

  /** The palette label, from the node's catalog: `<type>.paletteLabel`. */
  function paletteLabel(type) {
    return function () {
      return this._(type + '.paletteLabel');
    };
  }

  /** The node's name, or its palette label. */
  function label(type) {
    return function () {
      return this.name || this._(type + '.paletteLabel');
    };
  }

  function labelStyle() {
    return this.name ? 'node_label_italic' : '';
  }

  /** The two output ports: transcript, needs review. */
  function outputLabels(type) {
    return function (index) {
      return index === 0 ? this._(type + '.outputs.transcript') : this._(type + '.outputs.review');
    };
  }

  function option(type, group, value) {
    return '            <option value="' + value + '" data-i18n="' + type + '.' + group + '.' + value + '"></option>\n';
  }

  /** One labelled row of a dialog: `input` is the field's HTML, `rowClass` an extra class for the row. */
  function formRow(type, field, icon, input, rowClass) {
    var label = '<span data-i18n="' + type + '.label.' + field + '"></span>';
    return (
      '    <div class="form-row' +
      (rowClass ? ' ' + rowClass : '') +
      '">\n' +
      '        <label for="node-input-' +
      field +
      '"><i class="fa ' +
      icon +
      '"></i> ' +
      label +
      '</label>\n' +
      '        ' +
      input +
      '\n' +
      '    </div>\n'
    );
  }

  function pollingRows(type) {
    function row(field, icon, unit) {
      return formRow(type, field, icon, '<input type="text" id="node-input-' + field + '" style="width:80px"> ' + unit, type + '-poll-row');
    }
    return (
      row('interval', 'fa-clock-o', '<span data-i18n="' + type + '.unit.seconds"></span>') +
      row('backoff', 'fa-line-chart', '<span>&times;</span>') +
      row('timeout', 'fa-hourglass-end', '<span data-i18n="' + type + '.unit.minutes"></span>')
    );
  }

  // "Add normalized Persian text" and the digits it uses (data-harf-normalize="true").
  function normalizeRows(type) {
    return (
      '    <div class="form-row">\n' +
      '        <label>&nbsp;</label>\n' +
      '        <input type="checkbox" id="node-input-normalize" style="display:inline-block; width:auto; vertical-align:top;">\n' +
      '        <label for="node-input-normalize" style="width:auto" data-i18n="' +
      type +
      '.label.normalize"></label>\n' +
      '    </div>\n' +
      '    <div class="form-row" id="' +
      type +
      '-row-digits">\n' +
      '        <label for="node-input-digits"><i class="fa fa-sort-numeric-asc"></i> <span data-i18n="' +
      type +
      '.label.digits"></span></label>\n' +
      '        <select id="node-input-digits" style="width:70%">\n' +
      fromLib(['digitStyles'])
        .map(function (style) {
          return option(type, 'digits', style);
        })
        .join('') +
      '        </select>\n' +
      '    </div>\n'
    );
  }

  function outputRows(type, modes, reviewSplit) {
    var rows =
      '    <div class="form-row">\n' +
      '        <label for="node-input-output"><i class="fa fa-list"></i> <span data-i18n="' +
      type +
      '.label.output"></span></label>\n' +
      '        <select id="node-input-output" style="width:70%">\n' +
      modes
        .map(function (mode) {
          return option(type, 'output', mode);
        })
        .join('') +
      '        </select>\n' +
      '    </div>\n' +
      '    <div class="form-row" id="' +
      type +
      '-row-subtitles">\n' +
      '        <label for="node-input-subtitles"><i class="fa fa-cc"></i> <span data-i18n="' +
      type +
      '.label.subtitles"></span></label>\n' +
      '        <select id="node-input-subtitles" style="width:70%">\n' +
      ['none']
        .concat(fromLib(['subtitleFormats']), ['both'])
        .map(function (format) {
          return option(type, 'subtitles', format);
        })
        .join('') +
      '        </select>\n' +
      '    </div>\n';
    if (reviewSplit) {
      rows +=
        '    <div class="form-row">\n' +
        '        <label>&nbsp;</label>\n' +
        '        <input type="checkbox" id="node-input-splitUncertain" style="display:inline-block; width:auto; vertical-align:top;">\n' +
        '        <label for="node-input-splitUncertain" style="width:auto" data-i18n="' +
        type +
        '.label.splitUncertain"></label>\n' +
        '        <input type="hidden" id="node-input-outputs">\n' +
        '    </div>\n';
    }
    return rows;
  }

  // A stream's key, end flag and idle limit, for the nodes that read audio in chunks (data-harf-rows="stream";
  // data-harf-row-class adds a class to each row, for a dialog that shows them only in one mode).
  function streamRows(type, rowClass) {
    var seconds = '<span data-i18n="' + type + '.unit.seconds"></span>';
    return (
      formRow(type, 'keyProperty', 'fa-key', '<input type="text" id="node-input-keyProperty" style="width:70%">', rowClass) +
      formRow(
        type,
        'completeProperty',
        'fa-flag-checkered',
        '<input type="text" id="node-input-completeProperty" style="width:70%">',
        rowClass,
      ) +
      formRow(
        type,
        'idleTimeout',
        'fa-hourglass-end',
        '<input type="text" id="node-input-idleTimeout" style="width:80px"> ' + seconds,
        rowClass,
      )
    );
  }

  /** The stream rows' message-property pickers. */
  function prepareStream() {
    global.$('#node-input-keyProperty').typedInput({ default: 'msg', types: ['msg'] });
    global.$('#node-input-completeProperty').typedInput({ default: 'msg', types: ['msg'] });
  }

  function attribute(attributes, name) {
    var match = new RegExp('\\s' + name + '="([^"]*)"').exec(attributes);
    return match ? match[1] : undefined;
  }

  /** The template text with each data-harf-rows placeholder replaced by the rows it names. */
  function expandTemplate(type, html) {
    return html.replace(/[ \t]*<div data-harf-rows="([a-z]+)"([^>]*)><\/div>\n?/g, function (placeholder, rows, attributes) {
      if (rows === 'polling') {
        return pollingRows(type);
      }
      if (rows === 'output') {
        var modes = (attribute(attributes, 'data-harf-modes') || '').split(/\s+/).filter(Boolean);
        if (modes.length === 0) {
          throw new Error(
            type + ': data-harf-modes lists no output mode (found "' + attributes.trim() + '", expected e.g. "file segment text")',
          );
        }
        var known = fromLib(['outputModes']);
        modes.forEach(function (mode) {
          if (known.indexOf(mode) < 0) {
            throw new Error(type + ': data-harf-modes names "' + mode + '", not an output mode (expected one of ' + known.join(', ') + ')');
          }
        });
        var rowsHtml = outputRows(type, modes, attribute(attributes, 'data-harf-review-split') === 'true');
        return attribute(attributes, 'data-harf-normalize') === 'true' ? rowsHtml + normalizeRows(type) : rowsHtml;
      }
      if (rows === 'stream') {
        return streamRows(type, attribute(attributes, 'data-harf-row-class'));
      }
      throw new Error(type + ': unknown data-harf-rows "' + rows + '" (expected "polling", "output" or "stream")');
    });
  }

  /** Fills in the node's dialog template; call before RED.nodes.registerType, while the template is on the page. */
  function completeTemplate(type) {
    var template = global.$('script[data-template-name="' + type + '"]');
    if (template.length === 0) {
      throw new Error(type + ': no dialog template on the page to complete');
    }
    template.text(expandTemplate(type, template.html()));
  }

  // Two outputs (transcript, needs review) only when the split is on, as the switch node sets its outputs.
  function outputCount(options) {
    var split = global.$('#node-input-splitUncertain').prop('checked');
    return split && (!options.reviewOffered || options.reviewOffered()) ? 2 : 1;
  }

  /**
   * Keeps the hidden outputs field and the subtitles row in step with the dialog.
   * options.reviewOffered(): false while the dialog's other settings rule out the second output;
   * options.subtitlesInEveryMode: the subtitles row stays in segment mode too.
   * Returns the function that recounts the outputs, for a node whose own fields change the count.
   */
  function prepareOutputs(node, options) {
    var $ = global.$;
    options = options || {};
    function syncOutputs() {
      $('#node-input-outputs').val(String(outputCount(options)));
    }
    function syncSubtitles() {
      $('#' + node.type + '-row-subtitles').toggle(Boolean(options.subtitlesInEveryMode) || $('#node-input-output').val() !== 'segment');
    }
    function syncDigits() {
      $('#' + node.type + '-row-digits').toggle($('#node-input-normalize').prop('checked') === true);
    }
    $('#node-input-splitUncertain').on('change', syncOutputs);
    $('#node-input-output').on('change', syncSubtitles);
    $('#node-input-normalize').on('change', syncDigits);
    syncOutputs();
    syncSubtitles();
    syncDigits();
    return syncOutputs;
  }

  /** Sets the node's outputs from the dialog; the same options as prepareOutputs. */
  function saveOutputs(node, options) {
    node.outputs = outputCount(options || {});
    global.$('#node-input-outputs').val(String(node.outputs));
  }

  /** Shows the polling rows only in poll mode; onModeChange(mode) runs after each change and once now. */
  function preparePolling(node, onModeChange) {
    var $ = global.$;
    function syncMode() {
      var mode = $('#node-input-mode').val();
      $('.' + node.type + '-poll-row').toggle(mode === 'poll');
      if (onModeChange) {
        onModeChange(mode);
      }
    }
    $('#node-input-mode').on('change', syncMode);
    syncMode();
  }

  global.HarfEditor = {
    numberWithin: numberWithin,
    setting: setting,
    optionalSetting: optionalSetting,
    paletteLabel: paletteLabel,
    label: label,
    labelStyle: labelStyle,
    outputLabels: outputLabels,
    expandTemplate: expandTemplate,
    completeTemplate: completeTemplate,
    prepareOutputs: prepareOutputs,
    saveOutputs: saveOutputs,
    preparePolling: preparePolling,
    prepareStream: prepareStream,
  };
})(window);
